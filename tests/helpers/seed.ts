import Big from 'big.js';
import { loadCatalog } from '../../src/catalog/index.js';
import { parsePricingPolicy } from '../../src/catalog/pricing-policy.js';
import type { QuoteRequest } from '../../src/domain/pricing-types.js';

/**
 * The data files the tests run on: a copy of the shipped data/*.json taken when the tests were
 * written. A business edits data/team.json (and its rate card) for its own people; the tests must
 * not change meaning when it does. tests/docs/shipped.test.ts checks the shipped files themselves.
 */
const fixture = (name: string) => new URL(`../fixtures/data/${name}`, import.meta.url).pathname;
export const fixturePaths = {
  modelsPath: fixture('models.json'),
  pricingPolicyPath: fixture('pricing-policy.json'),
  teamPath: fixture('team.json'),
  schedulesPath: fixture('schedules.json'),
};

/** The same files as environment variables, for a bot started by a test or run as a child process. */
export const fixtureEnv = {
  MODELS_PATH: fixturePaths.modelsPath,
  PRICING_POLICY_PATH: fixturePaths.pricingPolicyPath,
  TEAM_PATH: fixturePaths.teamPath,
  SCHEDULES_PATH: fixturePaths.schedulesPath,
  // A test bot never writes backups into the checkout; the backup tests turn them on in a temp dir.
  BACKUP_EVERY: 'off',
};

/** The fixture rate card, policy, team and schedules: the figures every expected value is computed from. */
export const seedCatalog = loadCatalog(fixturePaths);

/** The fixture policy file's rules ready for the pricing functions: the first version of every test database. */
export const seedPolicy = parsePricingPolicy(seedCatalog.policyFile.id, seedCatalog.policyFile.rules);

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
