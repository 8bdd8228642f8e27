import type { z } from 'zod';
import type { Catalog } from '../catalog/index.js';
import type { AppConfig } from '../config.js';
import type { Actor, Platform } from '../domain/actor.js';
import type { Logger } from '../logger.js';
import type { Reply } from '../reply/reply.js';
import type { Db } from '../store/open.js';

/** How the request reached us: a slash command, a form, the console, the HTTP API or a button. */
export type Surface = 'slash_command' | 'modal' | 'console' | 'api' | 'button';

export interface CommandContext {
  actor: Actor;
  surface: Surface;
  db: Db;
  now: Date;
  log: Logger;
  config: AppConfig;
  catalog: Catalog;
  /** Set by adapters whose platform may deliver the same request twice. */
  idempotencyKey?: string;
  /** Platforms that deliver outgoing messages in this process; alerts are queued for each. */
  platforms: readonly Platform[];
  /** Tells the shell that the outbox has new work, so delivery need not wait for the next tick. */
  notify?: () => void;
}

/** One thing a person can ask for: a command, or one of its subcommands. */
export interface Operation<S extends z.ZodObject = z.ZodObject> {
  description: string;
  /** Shown in help; the first is the one used in error messages. */
  examples: string[];
  /** Alternative names for input keys, e.g. estimated_input -> input. */
  aliases?: Record<string, string>;
  /** Built once at start from the business's data, so enums follow the rate card. */
  input: (catalog: Catalog) => S;
  handler: (input: z.output<S>, ctx: CommandContext) => Reply | Promise<Reply>;
}

/** What a button press leads to: a reply to the presser, or a form to fill in. */
export type ActionResult =
  | { kind: 'reply'; reply: Reply }
  | { kind: 'form'; command: string; subcommand?: string; values: Record<string, string>; reply: Reply };

/** A button's handler. The button carries a row id (`value`), never state. */
export type ActionHandler = (value: string, ctx: CommandContext) => ActionResult | Promise<ActionResult>;

export interface CommandDef<S extends z.ZodObject = z.ZodObject> extends Operation<S> {
  name: string;
  subcommands?: Record<string, AnyOperation>;
  /** Button handlers, addressed as `<command>.<action>`. */
  actions?: Record<string, ActionHandler>;
}

/** An operation with its input type erased, as the registry holds it. */
export type AnyOperation = Omit<Operation, 'handler'> & {
  handler: (input: unknown, ctx: CommandContext) => Reply | Promise<Reply>;
};
export type AnyCommand = AnyOperation & Pick<CommandDef, 'name' | 'subcommands' | 'actions'>;

/**
 * Declares a command. The input type is erased here, in one place, which is sound because dispatch
 * only ever calls a handler with what the operation's own schema produced.
 */
export function defineCommand<S extends z.ZodObject>(def: CommandDef<S>): AnyCommand {
  return def as unknown as AnyCommand;
}

export function defineSubcommand<S extends z.ZodObject>(op: Operation<S>): AnyOperation {
  return op as unknown as AnyOperation;
}

/** An operation with its schema resolved against the loaded catalog. */
export interface ResolvedOperation {
  /** "quote", or "exceptions add". */
  path: string;
  op: AnyOperation;
  schema: z.ZodObject;
  /** The schema's keys in order, for placing bare words. */
  fieldNames: readonly string[];
}

export interface ResolvedCommand extends ResolvedOperation {
  def: AnyCommand;
  subcommands: ReadonlyMap<string, ResolvedOperation>;
}

export interface Registry {
  commands: ReadonlyMap<string, ResolvedCommand>;
}

function resolve(path: string, op: AnyOperation, catalog: Catalog): ResolvedOperation {
  const schema = op.input(catalog);
  return { path, op, schema, fieldNames: Object.keys(schema.shape) };
}

export function createRegistry(defs: readonly AnyCommand[], catalog: Catalog): Registry {
  const commands = new Map<string, ResolvedCommand>();
  for (const def of defs) {
    if (commands.has(def.name)) throw new Error(`two commands are named ${def.name}`);
    const subcommands = new Map(
      Object.entries(def.subcommands ?? {}).map(([sub, op]) => [sub, resolve(`${def.name} ${sub}`, op, catalog)] as const),
    );
    commands.set(def.name, { ...resolve(def.name, def, catalog), def, subcommands });
  }
  return { commands };
}

/** Finds "exceptions add" or "quote"; undefined when either part is unknown. */
export function findOperation(registry: Registry, path: string): ResolvedOperation | undefined {
  const [name = '', sub] = path.replace(/^\//, '').toLowerCase().split(/\s+/);
  const command = registry.commands.get(name);
  if (!command || sub === undefined) return command;
  return command.subcommands.get(sub);
}
