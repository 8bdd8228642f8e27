import { randomBytes } from 'node:crypto';
import { applyAliases, parseFields, tokenize, wordsToFields } from './args.js';
import type { CommandContext, Registry, ResolvedCommand } from './command.js';
import { UserError } from './errors.js';
import { commandHelp } from './help.js';
import { reply, text, type Reply } from '../reply/reply.js';

export type CommandInput = { text: string } | { fields: Record<string, unknown> };

function findCommand(registry: Registry, name: string): ResolvedCommand {
  const command = registry.commands.get(name.replace(/^\//, '').toLowerCase());
  if (!command) {
    const known = [...registry.commands.keys()].map((n) => `/${n}`).join(', ');
    throw new UserError(`I don't know \`/${name.replace(/^\//, '')}\`. Try one of: ${known}.`, 'unknown_command');
  }
  return command;
}

export function userErrorReply(error: UserError, command?: ResolvedCommand): Reply {
  const example = command?.def.examples[0];
  const hint = error.code === 'invalid_input' && example ? `\nTry: \`${example}\` (or \`/${command?.def.name} help\`)` : '';
  const r = reply(error.message, [text(`${error.message}${hint}`)]);
  return { ...r, error: { code: error.code, ...error.details } };
}

/**
 * The one way into a command from any surface: parse, validate, run, and turn every failure into a
 * reply. A UserError is answered politely; anything else is logged once with a reference.
 */
export async function dispatchCommand(
  registry: Registry,
  name: string,
  input: CommandInput,
  ctx: CommandContext,
): Promise<Reply> {
  let command: ResolvedCommand | undefined;
  try {
    command = findCommand(registry, name);
    const { def, schema } = command;
    if ('text' in input) {
      const words = tokenize(input.text);
      if (words.length === 1 && /^(help|-h|--help|\?)$/i.test(words[0] ?? '')) return commandHelp(command);
      const parsed = parseFields(schema, wordsToFields(words, command.fieldNames, def.aliases));
      return await def.handler(parsed, ctx);
    }
    const parsed = parseFields(schema, applyAliases(input.fields, def.aliases));
    return await def.handler(parsed, ctx);
  } catch (error) {
    return errorReply(error, ctx, command);
  }
}

export function errorReply(error: unknown, ctx: Pick<CommandContext, 'log'>, command?: ResolvedCommand): Reply {
  if (error instanceof UserError) return userErrorReply(error, command);
  const ref = randomBytes(4).toString('hex');
  ctx.log.error({ err: error, ref, command: command?.def.name }, 'command failed');
  const message = `Something went wrong (ref ${ref}). Please try again, or give the ops team that ref.`;
  return { ...reply(message, [text(message)]), error: { code: 'internal', ref } };
}
