import { randomBytes } from 'node:crypto';
import { applyAliases, parseFields, tokenize, wordsToFields } from './args.js';
import type { ActionResult, CommandContext, Registry, ResolvedCommand, ResolvedOperation } from './command.js';
import { UserError } from './errors.js';
import { operationHelp } from './help.js';
import { reply, text, type Reply } from '../reply/reply.js';
import { isBusy } from '../store/busy.js';
import { recordCommandFailure } from '../store/usage.js';
import { waitOutLocks } from './busy-answer.js';

export type CommandInput = { text: string } | { fields: Record<string, unknown> };

function findCommand(registry: Registry, name: string): ResolvedCommand {
  const command = registry.commands.get(name.replace(/^\//, '').toLowerCase());
  if (!command) {
    const known = [...registry.commands.keys()].map((n) => `/${n}`).join(', ');
    throw new UserError(`I don't know \`/${name.replace(/^\//, '')}\`. Try one of: ${known}.`, 'unknown_command');
  }
  return command;
}

function findSubcommand(command: ResolvedCommand, sub: string): ResolvedOperation {
  const target = command.subcommands.get(sub.toLowerCase());
  if (!target) {
    const known = [...command.subcommands.keys()].join(', ');
    throw new UserError(`\`/${command.path}\` has no \`${sub}\`. It has: ${known}.`, 'unknown_command');
  }
  return target;
}

export function userErrorReply(error: UserError, target?: ResolvedOperation): Reply {
  const example = target?.op.examples[0];
  const hint = error.code === 'invalid_input' && example ? `\nTry: \`${example}\` (or \`/${target?.path} help\`)` : '';
  const r = reply(error.message, [text(`${error.message}${hint}`)]);
  return { ...r, error: { code: error.code, ...error.details } };
}

/**
 * The one way into a command from any surface: find it (and its subcommand), parse, validate, run,
 * and turn every failure into a reply. A UserError is answered politely; anything else is logged
 * once with a reference.
 */
export async function dispatchCommand(
  registry: Registry,
  path: string,
  input: CommandInput,
  ctx: CommandContext,
): Promise<Reply> {
  const reply = await waitOutLocks(() => run(registry, path, input, ctx), ctx, (r) => r);
  // A busy database cannot take the failure's row either; the log has it.
  if (reply.error && reply.error.code !== 'busy') {
    try {
      // Failures feed the quote error rate in the health check; successes are the ledger itself.
      const outcome = reply.error.code === 'internal' ? 'internal_error' : 'user_error';
      recordCommandFailure(ctx.db, path.trim().split(/\s+/)[0]?.replace(/^\//, '') ?? '', outcome, ctx.now);
    } catch (error) {
      ctx.log.warn({ err: error }, 'could not record the command failure');
    }
  }
  return reply;
}

async function run(registry: Registry, path: string, input: CommandInput, ctx: CommandContext): Promise<Reply> {
  let target: ResolvedOperation | undefined;
  try {
    const [name = '', sub] = path.trim().split(/\s+/);
    const command = findCommand(registry, name);
    target = sub ? findSubcommand(command, sub) : command;
    if ('fields' in input) {
      return await target.op.handler(parseFields(target.schema, applyAliases(input.fields, target.op.aliases)), ctx);
    }
    const words = tokenize(input.text);
    const first = words[0]?.toLowerCase();
    if (!sub && first && command.subcommands.has(first)) {
      target = findSubcommand(command, first);
      words.shift();
    }
    if (words.length === 1 && /^(help|-h|--help|\?)$/i.test(words[0] ?? '')) {
      return operationHelp(target, target === command ? command : undefined);
    }
    const parsed = parseFields(target.schema, wordsToFields(words, target.fieldNames, target.op.aliases));
    return await target.op.handler(parsed, ctx);
  } catch (error) {
    if (isBusy(error)) throw error;
    return errorReply(error, ctx, target);
  }
}

/** A button press, addressed as `<command>.<action>`, with the row id the button carries. */
export async function dispatchAction(registry: Registry, actionId: string, value: string, ctx: CommandContext): Promise<ActionResult> {
  return waitOutLocks(() => pressButton(registry, actionId, value, ctx), ctx, (reply): ActionResult => ({ kind: 'reply', reply }));
}

async function pressButton(
  registry: Registry,
  actionId: string,
  value: string,
  ctx: CommandContext,
): Promise<ActionResult> {
  try {
    const [name = '', action = ''] = actionId.split('.');
    const handler = findCommand(registry, name).def.actions?.[action];
    if (!handler) throw new UserError('That button no longer does anything here.', 'unknown_command');
    return await handler(value, ctx);
  } catch (error) {
    if (isBusy(error)) throw error;
    return { kind: 'reply', reply: errorReply(error, ctx) };
  }
}

export function errorReply(error: unknown, ctx: Pick<CommandContext, 'log'>, target?: ResolvedOperation): Reply {
  if (error instanceof UserError) return userErrorReply(error, target);
  const ref = randomBytes(4).toString('hex');
  ctx.log.error({ err: error, ref, command: target?.path }, 'command failed');
  const message = `Something went wrong (ref ${ref}). Please try again, or give the ops team that ref.`;
  return { ...reply(message, [text(message)]), error: { code: 'internal', ref } };
}
