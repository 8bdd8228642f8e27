import Big from 'big.js';
import { z } from 'zod';
import { usd } from '../domain/money.js';
import {
  APPROVERS,
  COMPLEXITIES,
  DELIVERY_TYPES,
  SEGMENTS,
  type PricingPolicy,
} from '../domain/pricing-types.js';
import { CHANGE_TYPES, POLICY_ID_PATTERN, type ChangeType, type PolicyRules } from '../domain/policy-version.js';
import { loadJsonFile } from './load-json.js';

const pct = z.number().finite().min(0).max(100);
const markup = z.number().finite().min(0).max(100);
const perKey = <K extends readonly [string, ...string[]], V extends z.ZodType>(keys: K, value: V) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, value])) as { [P in K[number]]: V });

/** The rule fields of a policy: what a version stores whole and a change may touch. */
const rulesShape = z.strictObject({
    base_markup: perKey(COMPLEXITIES, markup),
    segment_adjustment: perKey(SEGMENTS, z.number().finite().min(-10).max(10)),
    price_floor_usd: z.number().finite().nonnegative(),
    margin_guardrail_pct: perKey(DELIVERY_TYPES, pct),
    guardrail_fail_route: perKey(DELIVERY_TYPES, z.string().min(1)),
    discount_approval: z
      .array(z.object({ up_to_pct: pct.nullable(), approver: z.enum(APPROVERS), condition: z.string().min(1) }))
      .min(1),
    escalation: z.object({
      discount_over_pct: pct,
      conditions_discount_over_pct: pct,
      scope_growth_over_pct: z.number().finite().min(0),
    }),
  });

/** What no single field can check: the bands rise and end open, every markup stays positive. */
function refineRules(file: z.output<typeof rulesShape>, ctx: z.RefinementCtx): void {
  const bands = file.discount_approval;
  bands.forEach((band, i) => {
    const last = i === bands.length - 1;
    if (last !== (band.up_to_pct === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['discount_approval', i, 'up_to_pct'],
        message: last ? 'the last band must be open-ended (null)' : 'only the last band may be open-ended',
      });
    }
    const prev = bands[i - 1]?.up_to_pct;
    if (band.up_to_pct !== null && prev != null && band.up_to_pct <= prev) {
      ctx.addIssue({ code: 'custom', path: ['discount_approval', i, 'up_to_pct'], message: 'bands must rise' });
    }
  });
  for (const c of COMPLEXITIES) {
    for (const s of SEGMENTS) {
      if (file.base_markup[c] + file.segment_adjustment[s] <= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['segment_adjustment', s],
          message: `leaves no positive markup for ${c} complexity`,
        });
      }
    }
  }
}

const policyRules = rulesShape.superRefine(refineRules);

/** data/pricing-policy.json: the rules plus §48's record of the version they seed. */
const policyFile = rulesShape
  .extend({
    id: z.string().regex(POLICY_ID_PATTERN, 'must look like pricing_policy_v2026-11-22a'),
    previous: z.string().nullable().optional(),
    changed_by: z.string().trim().min(1).max(120).default('data/pricing-policy.json'),
    change_type: z.enum(CHANGE_TYPES).default('major'),
    rationale: z.string().trim().min(1).max(1000).default('The policy file this database was seeded from.'),
    rollback_date: z.string().nullable().optional(),
  })
  .superRefine(refineRules)
  .transform(({ id, previous, changed_by, change_type, rationale, rollback_date, ...rules }): PolicyFile => ({
    id, previous: previous ?? null, changedBy: changed_by, changeType: change_type, rationale, rollbackDate: rollback_date ?? null, rules,
  }));

/** What the policy file holds: the seed version's §48 record and its rules. */
export interface PolicyFile {
  id: string;
  previous: string | null;
  changedBy: string;
  changeType: ChangeType;
  rationale: string;
  rollbackDate: string | null;
  rules: PolicyRules;
}

const big = (n: number) => new Big(n);
const mapValues = <K extends string, A, B>(obj: Record<K, A>, f: (a: A) => B) =>
  Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, f(v as A)])) as Record<K, B>;

/** The rules of a version, ready for the pricing functions; `id` is the version's. */
export function parsePricingPolicy(id: string, file: PolicyRules): PricingPolicy {
  return {
    id,
    baseMarkup: mapValues(file.base_markup, big),
    segmentAdjustment: mapValues(file.segment_adjustment, big),
    priceFloor: usd(file.price_floor_usd),
    marginGuardrailPct: mapValues(file.margin_guardrail_pct, big),
    guardrailFailRoute: file.guardrail_fail_route,
    discountBands: file.discount_approval.map((b) => ({
      upToPct: b.up_to_pct === null ? null : big(b.up_to_pct),
      approver: b.approver,
      condition: b.condition,
    })),
    escalation: {
      discountOverPct: big(file.escalation.discount_over_pct),
      conditionsDiscountOverPct: big(file.escalation.conditions_discount_over_pct),
      scopeGrowthOverPct: big(file.escalation.scope_growth_over_pct),
    },
  };
}

export function loadPolicyFile(path: string): PolicyFile {
  return loadJsonFile(path, policyFile, (p) => `field "${p.join('.') || '(root)'}"`);
}

/** Validates rules from anywhere (the database, a proposal): the messages name each field's path. */
export function checkPolicyRules(rules: unknown): { ok: true; rules: PolicyRules } | { ok: false; problems: string[] } {
  const parsed = policyRules.safeParse(rules);
  if (parsed.success) return { ok: true, rules: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}

export { policyFile as pricingPolicySchema, policyRules as policyRulesSchema };
