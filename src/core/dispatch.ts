import { createHash, randomBytes } from 'node:crypto';
import { parseFields, tokenize, wordsToFields } from './args.js';
import type { ActionResult, CommandContext, Registry, ResolvedCommand, ResolvedOperation } from './command.js';
import { UserError } from './errors.js';
import { operationHelp } from './help.js';
import type { InputSource } from './input-types.js';
import { reply, text, type Reply } from '../reply/reply.js';
import { claimRequestKey, releaseRequestKey } from '../store/request-keys.js';
import { isBusy } from '../store/busy.js';
import { recordCommandFailure } from '../store/usage.js';
import { waitOutLocks } from './busy-answer.js';

/** Typed text, or named values with where they came from (form text, or typed JSON values). */
export type CommandInput = { text: string } | { fields: Record<string, unknown>; source: InputSource };

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
  const { reply, target } = await waitOutLocks(() => run(registry, path, input, ctx), ctx, (r) => ({ reply: r, target: undefined }));
  // A busy database cannot take the failure's row either; the log has it.
  if (reply.error && reply.error.code !== 'busy') {
    try {
      // Failures feed the quote error rate in the health check (system failures only; a person's
      // typo is counted apart); successes are the ledger itself. `quote assign` is not `quote`.
      const outcome = reply.error.code === 'internal' ? 'internal_error' : 'user_error';
      recordCommandFailure(ctx.db, target?.path ?? path.trim().split(/\s+/)[0]?.replace(/^\//, '') ?? '', outcome, ctx.now);
    } catch (error) {
      ctx.log.warn({ err: error }, 'could not record the command failure');
    }
  }
  return reply;
}

async function run(
  registry: Registry,
  path: string,
  input: CommandInput,
  ctx: CommandContext,
): Promise<{ reply: Reply; target?: ResolvedOperation }> {
  let target: ResolvedOperation | undefined;
  try {
    const [name = '', sub] = path.trim().split(/\s+/);
    const command = findCommand(registry, name);
    target = sub ? findSubcommand(command, sub) : command;
    if ('fields' in input) {
      const parsed = parseFields(target.schema, { values: input.fields, source: input.source }, target.op.aliases);
      return { reply: await once(target, parsed, ctx), target };
    }
    const words = tokenize(input.text);
    const first = words[0]?.toLowerCase();
    if (!sub && first && command.subcommands.has(first)) {
      target = findSubcommand(command, first);
      words.shift();
    }
    if (words.length === 1 && /^(help|-h|--help|\?)$/i.test(words[0] ?? '')) {
      return { reply: operationHelp(target, target === command ? command : undefined), target };
    }
    const parsed = parseFields(target.schema, wordsToFields(words, target.fieldNames, target.op.aliases), target.op.aliases);
    return { reply: await once(target, parsed, ctx), target };
  } catch (error) {
    if (isBusy(error)) throw error;
    return { reply: errorReply(error, ctx, target), target };
  }
}

/** The request as the command understood it: "2k" and 2000 are the same request, a new key order is too. */
function requestHash(path: string, input: unknown): string {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)]))
      : v;
  return createHash('sha256').update(JSON.stringify([path, canonical(input)])).digest('hex');
}

/**
 * Runs the handler, holding the request to its idempotency key: a retry (same key, same request)
 * goes on to the handler, which answers from its ledger; the same key with a different request is
 * refused, as Stripe does, rather than answered with someone else's quote. A request the handler
 * refuses frees its key, so the corrected request can reuse it.
 */
async function once(target: ResolvedOperation, input: unknown, ctx: CommandContext): Promise<Reply> {
  const key = ctx.idempotencyKey;
  if (!key) return target.op.handler(input, ctx);
  const claim = claimRequestKey(ctx.db, key, requestHash(target.path, input), target.path, ctx.now);
  if (claim === 'conflict') {
    throw new UserError('This idempotency key was already used for a different request: send a new key with a new request.', 'conflict');
  }
  try {
    const reply = await target.op.handler(input, ctx);
    if (reply.error && claim === 'new') releaseRequestKey(ctx.db, key);
    return reply;
  } catch (error) {
    if (claim === 'new') releaseRequestKey(ctx.db, key);
    throw error;
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
