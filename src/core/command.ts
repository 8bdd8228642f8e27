import type { z } from 'zod';
import type { Catalog } from '../catalog/index.js';
import type { AppConfig } from '../config.js';
import type { Actor } from '../domain/actor.js';
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
}

export interface CommandDef<S extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  /** Shown in help; the first is the one used in error messages. */
  examples: string[];
  /** Alternative names for input keys, e.g. estimated_input -> input. */
  aliases?: Record<string, string>;
  /** Built once at start from the business's data, so enums follow the rate card. */
  input: (catalog: Catalog) => S;
  handler: (input: z.output<S>, ctx: CommandContext) => Reply | Promise<Reply>;
}

/** A command with its input type erased, as the registry holds it. */
export type AnyCommand = Omit<CommandDef, 'handler'> & {
  handler: (input: unknown, ctx: CommandContext) => Reply | Promise<Reply>;
};

/**
 * Declares a command. The input type is erased here, in one place, which is sound because dispatch
 * only ever calls a handler with what the command's own schema produced.
 */
export function defineCommand<S extends z.ZodObject>(def: CommandDef<S>): AnyCommand {
  return def as unknown as AnyCommand;
}

/** A command with its schema resolved against the loaded catalog. */
export interface ResolvedCommand {
  def: AnyCommand;
  schema: z.ZodObject;
  /** The schema's keys in order, for placing bare words. */
  fieldNames: readonly string[];
}

export interface Registry {
  commands: ReadonlyMap<string, ResolvedCommand>;
}

export function createRegistry(defs: readonly AnyCommand[], catalog: Catalog): Registry {
  const commands = new Map<string, ResolvedCommand>();
  for (const def of defs) {
    if (commands.has(def.name)) throw new Error(`two commands are named ${def.name}`);
    const schema = def.input(catalog);
    commands.set(def.name, { def, schema, fieldNames: Object.keys(schema.shape) });
  }
  return { commands };
}
