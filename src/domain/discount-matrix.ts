import type Big from 'big.js';
import type { DiscountBand } from './pricing-types.js';

/** The band whose authority covers a discount: the first whose upper bound is at or above it. */
export function discountBand(bands: readonly DiscountBand[], discountPct: Big): DiscountBand {
  const band = bands.find((b) => b.upToPct === null || discountPct.lte(b.upToPct));
  if (!band) throw new Error('discount matrix has no open-ended top band');
  return band;
}
