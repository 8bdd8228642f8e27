import { z } from 'zod';

/** Accepts what people type for a count: 2000, 2,000, 2_000, 2k, 1.5m. */
function readNumberish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const s = value.trim().toLowerCase().replace(/[,_]/g, '').replace(/%$/, '');
  if (s === '') return undefined;
  const m = /^(-?\d+(?:\.\d+)?)([km])?$/.exec(s);
  if (!m) return value;
  const scale = m[2] === 'k' ? 1_000 : m[2] === 'm' ? 1_000_000 : 1;
  return Number(m[1]) * scale;
}

const hasAtMostTwoDecimals = (v: number) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9;

export const MAX_TOKENS = 100_000_000;

export const tokenCount = (description: string) =>
  z.preprocess(readNumberish, z.number().int().min(0).max(MAX_TOKENS)).describe(description);

export const percent = (description: string, max = 100) =>
  z
    .preprocess(readNumberish, z.number().min(0).max(max).refine(hasAtMostTwoDecimals, 'must have at most two decimals'))
    .describe(description);

/** An enum whose parsing forgives case and surrounding spaces. */
export const choice = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(values)).describe(description);
