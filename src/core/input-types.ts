import { z } from 'zod';

/**
 * Where a value came from decides how forgiving we are. `text` is what people type and forms and
 * CSV cells hold: always a string, and "2,000" or "2k" are fine numbers. `json` keeps its types
 * (HTTP JSON bodies, JSON Lines, Discord options): a number must be a number and a boolean a
 * boolean, because a sender that puts `true` or `"0x10"` where a cost goes has a bug we must not
 * turn into $1 or $16.
 */
export type InputSource = 'text' | 'json';

/** Kinds the schema walk cannot read from zod's own types; carried as metadata on the field. */
export interface InputMeta {
  inputKind?: 'date' | 'instant';
  /** Words a date also accepts, such as today and yesterday. */
  words?: readonly string[];
  /** An instant that also accepts a plain date. */
  allowDate?: boolean;
}

/** Accepts what people type for a count: 2000, 2,000, 2_000, 2k, 1.5m. Text only: see InputSource. */
function readNumberish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const s = value.trim().toLowerCase().replace(/[,_]/g, '').replace(/%$/, '');
  const m = /^(-?\d+(?:\.\d+)?)([km])?$/.exec(s);
  if (!m) return value;
  const scale = m[2] === 'k' ? 1_000 : m[2] === 'm' ? 1_000_000 : 1;
  return Number(m[1]) * scale;
}

/** A plain decimal (no k/m suffix: nobody means "2k dollars" in a cost column). */
function readDecimal(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const s = value.trim().replace(/,/g, '');
  return /^-?\d+(?:\.\d+)?$/.test(s) ? Number(s) : value;
}

const hasAtMostTwoDecimals = (v: number) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9;

export const MAX_TOKENS = 100_000_000;

export const tokenCount = (description: string, max = MAX_TOKENS) =>
  z.preprocess(readNumberish, z.number().int().min(0).max(max)).describe(description);

export const percent = (description: string, max = 100) =>
  z
    .preprocess(readNumberish, z.number().min(0).max(max).refine(hasAtMostTwoDecimals, 'must have at most two decimals'))
    .describe(description);

/** An amount of US dollars, e.g. a budget or a reported cost. */
export const usdAmount = (description: string, max: number) =>
  z.preprocess(readDecimal, z.number().finite().min(0).max(max)).describe(description);

/** A whole number such as a row id. */
export const wholeNumber = (description: string, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(readDecimal, z.number().int().min(min).max(max)).describe(description);

/** true or false, and nothing else: "maybe" or "yes" is a question back, not a guess. */
export const flag = (description: string) =>
  z
    .preprocess((v) => {
      if (typeof v !== 'string') return v;
      const s = v.trim().toLowerCase();
      return s === 'true' ? true : s === 'false' ? false : v;
    }, z.boolean())
    .describe(description);

/** An enum whose parsing forgives case and surrounding spaces. */
export const choice = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(values)).describe(description);

/** Text of at most `max` characters, trimmed. */
export const words = (max: number, description: string) => z.string().trim().min(1).max(max).describe(description);

/** The calendar days we accept: wide enough for any contract, narrow enough to catch 9999-99-99. */
export const DATE_RANGE = { min: '2000-01-01', max: '2100-12-31' } as const;
export const DATE_EXAMPLE = '2026-11-21';
export const INSTANT_EXAMPLE = '2026-11-21T14:30:00Z';

/** A real day of the calendar, YYYY-MM-DD, within DATE_RANGE. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  const real = t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
  return real && s >= DATE_RANGE.min && s <= DATE_RANGE.max;
}

// ISO 8601 with a zone: date, T, hh:mm[:ss[.fff]], then Z or ±hh:mm. A time without a zone is
// ambiguous on a Pi whose clock zone nobody checked, so it is refused.
const INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/i;

export function isInstant(s: string): boolean {
  const m = INSTANT.exec(s);
  return m !== null && isCalendarDate(m[1] ?? '') && !Number.isNaN(new Date(s).getTime());
}

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

/** A calendar date as YYYY-MM-DD; `dayWords` (e.g. today, yesterday) are accepted as typed, lower-cased. */
export const calendarDate = (description: string, dayWords: readonly string[] = []) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' && dayWords.includes(v.trim().toLowerCase()) ? v.trim().toLowerCase() : trimmed(v)),
      z.string().refine((s) => dayWords.includes(s) || isCalendarDate(s)),
    )
    .meta({ inputKind: 'date', words: dayWords } satisfies InputMeta)
    .describe(description);

/** A moment in ISO 8601 with a zone; with `allowDate`, a plain YYYY-MM-DD too. */
export const instant = (description: string, options: { allowDate?: boolean } = {}) =>
  z
    .preprocess(trimmed, z.string().refine((s) => isInstant(s) || (options.allowDate === true && isCalendarDate(s))))
    .meta({ inputKind: 'instant', allowDate: options.allowDate === true } satisfies InputMeta)
    .describe(description);
