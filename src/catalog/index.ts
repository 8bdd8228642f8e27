import type { PricingPolicy, RateCard } from '../domain/pricing-types.js';
import { loadPricingPolicy } from './pricing-policy.js';
import { loadRateCard } from './rate-card.js';

/** The business's editable data, loaded and validated once at start. */
export interface Catalog {
  rateCard: RateCard;
  policy: PricingPolicy;
}

export function loadCatalog(paths: { modelsPath: string; pricingPolicyPath: string }): Catalog {
  return { rateCard: loadRateCard(paths.modelsPath), policy: loadPricingPolicy(paths.pricingPolicyPath) };
}
