import Big from 'big.js';

/**
 * Money is exact decimal (big.js), never a float. The ledger keeps integer micro-dollars,
 * so every amount that crosses into the store goes through toMicros.
 */
export type Usd = Big;

export const usd = (value: string | number | Big): Usd => new Big(value);

export function toMicros(value: Usd): number {
  return Number(value.times(1_000_000).round(0, Big.roundHalfUp).toFixed(0));
}

export function fromMicros(micros: number): Usd {
  return usd(micros).div(1_000_000);
}

export function roundToCents(value: Usd): Usd {
  return value.round(2, Big.roundHalfUp);
}

/** Internal cost is kept to the micro-dollar: sub-micro fractions are noise next to a price in cents. */
export function roundToMicros(value: Usd): Usd {
  return value.round(6, Big.roundHalfUp);
}

/** A percentage shown to two places, rounded down so that it never overstates a margin. */
export function floorPct(value: Big): Big {
  return value.round(2, Big.roundDown);
}

export function maxUsd(a: Usd, b: Usd): Usd {
  return a.gte(b) ? a : b;
}

export function formatUsd(value: Usd): string {
  const cents = roundToCents(value);
  if (!value.eq(0) && value.abs().lt(0.01)) return `$${value.toFixed()}`;
  return `$${cents.toFixed(2)}`;
}

export function formatPct(value: Big): string {
  return `${value.toFixed(2)}%`;
}

export function formatMultiplier(value: Big): string {
  return `${value.toFixed(1)}x`;
}
