import Big from 'big.js';
import { loadCatalog } from '../../src/catalog/index.js';
import type { QuoteRequest } from '../../src/domain/pricing-types.js';

/** The shipped rate card and policy: tests price against the same figures the business edits. */
export const seedCatalog = loadCatalog({
  modelsPath: new URL('../../data/models.json', import.meta.url).pathname,
  pricingPolicyPath: new URL('../../data/pricing-policy.json', import.meta.url).pathname,
  teamPath: new URL('../../data/team.json', import.meta.url).pathname,
  schedulesPath: new URL('../../data/schedules.json', import.meta.url).pathname,
});

export function quoteRequest(overrides: Partial<Omit<QuoteRequest, 'discountPct' | 'scopeGrowthPct'>> & {
  discountPct?: number;
  scopeGrowthPct?: number;
} = {}): QuoteRequest {
  const { discountPct = 0, scopeGrowthPct = 0, ...rest } = overrides;
  return {
    model: 'k2p5',
    complexity: 'medium',
    segment: 'smb',
    inputTokens: 2000,
    outputTokens: 800,
    delivery: 'task',
    nonStandardTerms: false,
    scopeUnclear: false,
    ...rest,
    discountPct: new Big(discountPct),
    scopeGrowthPct: new Big(scopeGrowthPct),
  };
}
