import type { z } from 'zod';
import { UserError } from './errors.js';
import { objectFields, type FieldInfo } from './schema-fields.js';

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '”': '”' };

/** Splits slash-command text into words; quotes (straight or the curly ones Slack and phones insert) group words. */
export function tokenize(input: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quote: string | null = null;
  let inToken = false;
  for (const ch of input) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch in QUOTES) {
      quote = QUOTES[ch] ?? null;
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quote) throw new UserError(`A quote mark is not closed: add the closing ${quote}.`);
  if (inToken) tokens.push(current);
  return tokens;
}

/**
 * Turns words into named values: `key=value` by name (aliases allowed), bare words by position in
 * the schema's order. Values stay strings; the schema coerces them.
 */
export function wordsToFields(
  words: string[],
  keys: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  const positional: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) {
      positional.push(word);
      continue;
    }
    const rawKey = word.slice(0, eq).toLowerCase();
    const key = aliases[rawKey] ?? rawKey;
    if (key in out) throw new UserError(`\`${key}\` is given twice; give it once.`, 'invalid_input', { field: key });
    out[key] = word.slice(eq + 1);
  }
  const free = keys.filter((k) => !(k in out));
  if (positional.length > free.length) {
    throw new UserError(`I can't place \`${positional[free.length]}\`: name it, as in \`key=value\`.`);
  }
  positional.forEach((word, i) => {
    out[free[i] as string] = word;
  });
  return out;
}

export function applyAliases(
  fields: Record<string, unknown>,
  aliases: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(fields)) {
    const key = aliases[rawKey] ?? rawKey;
    if (key in out) throw new UserError(`\`${key}\` is given twice; give it once.`, 'invalid_input', { field: key });
    out[key] = value;
  }
  return out;
}

export function allowedText(field: FieldInfo): string {
  if (field.kind === 'enum') return `one of ${field.options?.join(', ')}`;
  if (field.kind === 'number') {
    const what = field.integer ? 'a whole number' : 'a number';
    if (field.min !== undefined && field.max !== undefined) return `${what} from ${field.min} to ${field.max}`;
    if (field.min !== undefined) return `${what} of at least ${field.min}`;
    return what;
  }
  return 'text';
}

/** Validates named values against a command's schema; the first problem becomes a UserError naming the field. */
export function parseFields<S extends z.ZodObject>(schema: S, fields: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(fields);
  if (result.success) return result.data;
  const infos = new Map(objectFields(schema).map((f) => [f.name, f]));
  const issue = result.error.issues[0];
  if (!issue) throw new UserError('That input is not valid.');
  if (issue.code === 'unrecognized_keys') {
    const key = String(issue.keys[0]);
    throw new UserError(`I don't know \`${key}\`. I know: ${[...infos.keys()].join(', ')}.`, 'invalid_input', {
      field: key,
      allowed: [...infos.keys()].join(', '),
    });
  }
  const name = String(issue.path[0] ?? '');
  const info = infos.get(name);
  if (!info) throw new UserError(issue.message, 'invalid_input', { field: name });
  const allowed = allowedText(info);
  const given = fields[name];
  const message =
    given === undefined || given === ''
      ? `\`${name}\` is missing: give ${allowed}.`
      : issue.code === 'custom'
        ? `\`${name}\` ${issue.message}.`
        : issue.code === 'invalid_format'
          ? `\`${name}\` is not in the right form (${(info.description ?? '').replace(/,\s*$/, '')}); you gave \`${String(given)}\`.`
        : `\`${name}\` must be ${allowed}; you gave \`${String(given)}\`.`;
  throw new UserError(message, 'invalid_input', { field: name, allowed });
}
