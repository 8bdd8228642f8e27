import type { z } from 'zod';
import { UserError } from './errors.js';
import { DATE_EXAMPLE, DATE_RANGE, INSTANT_EXAMPLE, type InputSource } from './input-types.js';
import { closest } from './nearest.js';
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

/** A bare word placed by position, and the `key=value` word its run of bare words followed, if any. */
export interface Placement {
  word: string;
  after?: { key: string; value: string; run: string[] };
}

/** Named values as the caller gave them, before aliases are applied and the schema checks them. */
export interface RawFields {
  values: Record<string, unknown>;
  source: InputSource;
  /** Fields filled from bare words, so an error can say "put quotes around it". */
  placed?: Record<string, Placement>;
  /** Bare words left over once every field had a value. */
  stray?: Placement[];
}

/**
 * Turns words into named values: `key=value` by name (keys as typed, lower-cased; aliases are
 * mapped later so errors can use the caller's word), bare words by position in the schema's order.
 * Values stay strings; the schema reads them.
 */
export function wordsToFields(
  words: string[],
  keys: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): RawFields {
  const values: Record<string, string> = {};
  const positional: Placement[] = [];
  let previous: Placement['after'];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) {
      previous?.run.push(word);
      positional.push({ word, ...(previous ? { after: previous } : {}) });
      continue;
    }
    const key = word.slice(0, eq).toLowerCase();
    if (key in values) throw new UserError(`\`${key}\` is given twice; give it once.`, 'invalid_input', { field: key });
    values[key] = word.slice(eq + 1);
    previous = { key, value: word.slice(eq + 1), run: [] };
  }
  const named = new Set(Object.keys(values).map((k) => aliases[k] ?? k));
  const free = keys.filter((k) => !named.has(k));
  const placed: Record<string, Placement> = {};
  positional.slice(0, free.length).forEach((p, i) => {
    const field = free[i] as string;
    values[field] = p.word;
    placed[field] = p;
  });
  return { values, source: 'text', placed, stray: positional.slice(free.length) };
}

export function allowedText(field: FieldInfo): string {
  switch (field.kind) {
    case 'enum':
      return `one of ${field.options?.join(', ')}`;
    case 'number': {
      const what = field.integer ? 'a whole number' : 'a number';
      if (field.min !== undefined && field.max !== undefined) return `${what} from ${field.min} to ${field.max}`;
      if (field.min !== undefined) return `${what} of at least ${field.min}`;
      if (field.max !== undefined) return `${what} of at most ${field.max}`;
      return what;
    }
    case 'boolean':
      return 'true or false';
    case 'date': {
      const also = field.words?.length ? `, or ${field.words.join(' or ')}` : '';
      return `a date as YYYY-MM-DD (e.g. ${DATE_EXAMPLE}) from ${DATE_RANGE.min} to ${DATE_RANGE.max}${also}`;
    }
    case 'instant':
      return `a time in ISO 8601 with a zone (e.g. ${INSTANT_EXAMPLE})${field.allowDate ? ` or a date as YYYY-MM-DD (e.g. ${DATE_EXAMPLE})` : ''}`;
    case 'string':
      return field.maxLength !== undefined ? `text of at most ${field.maxLength} characters` : 'text';
  }
}

const MAX_ECHO = 40;
const clip = (s: string) => (s.length > MAX_ECHO ? `${s.slice(0, MAX_ECHO)}…` : s);

/** The value as the caller wrote it: JSON shows its type ("2000" vs 2000), text shows the text; long values are cut. */
function shown(value: unknown, source: InputSource): string {
  if (source === 'text' && typeof value === 'string') return clip(value);
  return clip(JSON.stringify(value) ?? String(value));
}

/** Whether a JSON value has the type the field needs: JSON numbers are not read from strings. */
function jsonTypeFits(field: FieldInfo, value: unknown): boolean {
  if (field.kind === 'number') return typeof value === 'number';
  if (field.kind === 'boolean') return typeof value === 'boolean';
  return typeof value === 'string';
}

const JSON_TYPE: Record<FieldInfo['kind'], string> = {
  number: 'a JSON number',
  boolean: 'a JSON true or false',
  enum: 'a JSON string',
  string: 'a JSON string',
  date: 'a JSON string',
  instant: 'a JSON string',
};

/** null, "" and blank text mean "not given": defaults apply, and a required field is missing. */
const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

const byName = new WeakMap<z.ZodObject, ReadonlyMap<string, FieldInfo>>();

/** Built once per schema: a usage batch parses a thousand events against the same one. */
function fieldsByName(schema: z.ZodObject): ReadonlyMap<string, FieldInfo> {
  let infos = byName.get(schema);
  if (!infos) byName.set(schema, (infos = new Map(objectFields(schema).map((f) => [f.name, f]))));
  return infos;
}

interface Problem {
  field: string;
  message: string;
}

/**
 * Validates named values against a command's schema. Aliases are mapped here, and every message
 * names a field as the caller sent it. All missing fields are named at once; a misspelt key gets a
 * "did you mean"; a JSON value of the wrong type is refused rather than coerced.
 */
export function parseFields<S extends z.ZodObject>(
  schema: S,
  raw: RawFields,
  aliases: Readonly<Record<string, string>> = {},
): z.output<S> {
  const infos = fieldsByName(schema);
  // A bare word right after free text (account=Acme Corp) is most likely the rest of that text.
  const quoteHint = (p: Placement | undefined) => {
    const after = p?.after;
    if (!p || !after || infos.get(aliases[after.key] ?? after.key)?.kind !== 'string') return undefined;
    return `\`${clip(p.word)}\` looks like the rest of \`${after.key}\`: put quotes around it: ${after.key}="${clip([after.value, ...after.run].join(' '))}".`;
  };
  const [stray] = raw.stray ?? [];
  if (stray) throw new UserError(quoteHint(stray) ?? `I can't place \`${clip(stray.word)}\`: name it, as in \`key=value\`.`);
  const sentAs = new Map<string, string>();
  const values: Record<string, unknown> = {};
  const invalid: Problem[] = [];
  const refused = new Set<string>();
  for (const [key, value] of Object.entries(raw.values)) {
    const name = aliases[key] ?? key;
    const earlier = sentAs.get(name);
    if (earlier !== undefined) {
      const what = earlier === key ? `\`${key}\` is given twice` : `\`${earlier}\` and \`${key}\` are the same field`;
      throw new UserError(`${what}; give it once.`, 'invalid_input', { field: key });
    }
    sentAs.set(name, key);
    const info = infos.get(name);
    if (info && isBlank(value)) continue; // an unknown key is reported even when blank
    if (info && raw.source === 'json' && !jsonTypeFits(info, value)) {
      invalid.push({ field: key, message: `\`${key}\` must be ${allowedText(info)}, sent as ${JSON_TYPE[info.kind]}; you gave \`${shown(value, 'json')}\`.` });
      refused.add(name);
      continue;
    }
    values[name] = value;
  }
  const result = schema.safeParse(values);
  if (result.success && invalid.length === 0) return result.data;

  // A caller who writes the long names (estimated_input, as the HTTP API documents) is answered in them.
  const longNames = Object.fromEntries(Object.entries(aliases).map(([alias, name]) => [name, alias]));
  const speaksAliases = [...sentAs.values()].some((k) => k in aliases) || Object.keys(raw.values).some((k) => k in aliases);
  const asCallerSays = (name: string) => (speaksAliases ? (longNames[name] ?? name) : name);
  const known = [...infos.keys()].map(asCallerSays);
  const unknown: Problem[] = [];
  const missing: FieldInfo[] = [];
  for (const issue of result.success ? [] : result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      unknown.push(...issue.keys.map((k) => unknownKey(String(k), known, [...infos.keys(), ...Object.keys(aliases)])));
      continue;
    }
    const name = String(issue.path[0] ?? '');
    if (refused.has(name)) continue;
    refused.add(name); // one message per field
    const info = infos.get(name);
    const key = sentAs.get(name) ?? name;
    if (!info) invalid.push({ field: key, message: issue.message });
    else if (values[name] === undefined) missing.push(info);
    else invalid.push({ field: key, message: quoteHint(raw.placed?.[name]) ?? invalidMessage(key, info, issue, values[name], raw.source) });
  }
  const problems = [...unknown, ...(missing.length ? [missingProblem(missing, asCallerSays)] : []), ...invalid];
  const first = problems[0] ?? { field: '', message: 'That input is not valid.' };
  const firstInfo = infos.get(aliases[first.field] ?? first.field);
  const allowed = unknown.length ? known.join(', ') : firstInfo ? allowedText(firstInfo) : undefined;
  throw new UserError(problems.map((p) => p.message).join('\n'), 'invalid_input', { field: first.field, ...(allowed ? { allowed } : {}) });
}

function unknownKey(key: string, known: string[], candidates: string[]): Problem {
  const guess = closest(key, candidates);
  const hint = guess ? ` Did you mean \`${guess}\`?` : '';
  return { field: clip(key), message: `I don't know \`${clip(key)}\`.${hint} I know: ${known.join(', ')}.` };
}

function missingProblem(missing: FieldInfo[], named: (name: string) => string): Problem {
  const [only] = missing;
  if (only && missing.length === 1) return { field: named(only.name), message: `\`${named(only.name)}\` is missing: give ${allowedText(only)}.` };
  const list = missing.map((f) => `\`${named(f.name)}\` (${allowedText(f)})`).join('; ');
  return { field: named(missing[0]?.name ?? ''), message: `${missing.length} fields are missing: ${list}.` };
}

function invalidMessage(key: string, info: FieldInfo, issue: z.core.$ZodIssue, given: unknown, source: InputSource): string {
  if (info.kind === 'string' && issue.code === 'too_big') {
    return `\`${key}\` is too long: at most ${info.maxLength ?? issue.maximum} characters; you gave ${String(given).trim().length}.`;
  }
  const dateLike = info.kind === 'date' || info.kind === 'instant';
  // A rule's own message ("must have at most two decimals", "must be a month as YYYY-MM") says more
  // than the type; zod's defaults ("Invalid string") say less.
  const own = (issue.code === 'custom' || issue.code === 'invalid_format') && !issue.message.startsWith('Invalid');
  if (own && !dateLike) return `\`${key}\` ${issue.message}; you gave \`${shown(given, source)}\`.`;
  return `\`${key}\` must be ${allowedText(info)}; you gave \`${shown(given, source)}\`.`;
}
