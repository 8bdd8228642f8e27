import type { Registry, ResolvedOperation } from '../../core/command.js';
import { objectFields, type FieldInfo } from '../../core/schema-fields.js';

/** Discord's application command option types and limits. */
export const DISCORD_OPTION_SUB_COMMAND = 1;
export const DISCORD_OPTION_STRING = 3;
export const DISCORD_OPTION_INTEGER = 4;
export const DISCORD_OPTION_NUMBER = 10;
export const DISCORD_DESCRIPTION_MAX_CHARS = 100;
export const DISCORD_MAX_CHOICES = 25;
export const DISCORD_MAX_OPTIONS = 25;
/** Discord cannot mix a command's own options with subcommands: the main operation gets this name. */
export const MAIN_SUBCOMMAND = 'run';

const describe = (s: string | undefined, fallback: string) =>
  (s ?? fallback).replace(/[,:]\s*$/, '').replace(/^./, (c) => c.toUpperCase()).slice(0, DISCORD_DESCRIPTION_MAX_CHARS) || fallback;

function option(f: FieldInfo): Record<string, unknown> {
  const base = { name: f.name, description: describe(f.description, f.name), required: f.required };
  if (f.kind === 'enum' && (f.options?.length ?? 0) <= DISCORD_MAX_CHOICES) {
    return { ...base, type: DISCORD_OPTION_STRING, choices: (f.options ?? []).map((o) => ({ name: o, value: o })) };
  }
  if (f.kind === 'number') {
    return {
      ...base,
      type: f.integer ? DISCORD_OPTION_INTEGER : DISCORD_OPTION_NUMBER,
      ...(f.min !== undefined ? { min_value: f.min } : {}),
      ...(f.max !== undefined ? { max_value: f.max } : {}),
    };
  }
  return { ...base, type: DISCORD_OPTION_STRING };
}

/** Required options first, as Discord demands, otherwise in schema order. */
function options(op: ResolvedOperation): Record<string, unknown>[] {
  const fields = objectFields(op.schema);
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)].slice(0, DISCORD_MAX_OPTIONS).map(option);
}

/**
 * The slash commands to register with Discord, generated from the command registry: enums become
 * choices, numbers keep their bounds, required fields are required. Subcommands become Discord
 * subcommands; a command that also takes options of its own gets them as the `run` subcommand.
 */
export function discordCommands(registry: Registry): Record<string, unknown>[] {
  return [...registry.commands.values()].map((command) => {
    const description = describe(command.def.description, command.def.name);
    if (command.subcommands.size === 0) return { name: command.def.name, description, type: 1, options: options(command) };
    const subs = [...command.subcommands.entries()].map(([name, sub]) => ({
      type: DISCORD_OPTION_SUB_COMMAND,
      name,
      description: describe(sub.op.description, name),
      options: options(sub),
    }));
    const mainIsASub = [...command.subcommands.values()].some((s) => s.op.handler === command.def.handler);
    const main = mainIsASub ? [] : [{ type: DISCORD_OPTION_SUB_COMMAND, name: MAIN_SUBCOMMAND, description, options: options(command) }];
    return { name: command.def.name, description, type: 1, options: [...main, ...subs] };
  });
}
