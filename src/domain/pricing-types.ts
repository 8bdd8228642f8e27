import type { Usd } from './money.js';
import type Big from 'big.js';

export const COMPLEXITIES = ['low', 'medium', 'high'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

export const SEGMENTS = ['enterprise', 'mid_market', 'smb', 'startup'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const DELIVERY_TYPES = ['task', 'subscription', 'enterprise'] as const;
export type DeliveryType = (typeof DELIVERY_TYPES)[number];

export const APPROVERS = ['account_executive', 'sales_manager', 'revenue_lead', 'executive'] as const;
export type Approver = (typeof APPROVERS)[number];

export const DECISIONS = ['approved', 'approved_with_conditions', 'escalated'] as const;
export type DecisionStatus = (typeof DECISIONS)[number];

export interface ModelRate {
  id: string;
  name: string;
  inputPer1k: Usd;
  outputPer1k: Usd;
}

export interface RateCard {
  defaultModel: string;
  models: ReadonlyMap<string, ModelRate>;
}

export interface DiscountBand {
  /** Inclusive upper bound in percent; null for the open-ended top band. */
  upToPct: Big | null;
  approver: Approver;
  condition: string;
}

export interface PricingPolicy {
  id: string;
  baseMarkup: Record<Complexity, Big>;
  segmentAdjustment: Record<Segment, Big>;
  priceFloor: Usd;
  marginGuardrailPct: Record<DeliveryType, Big>;
  guardrailFailRoute: Record<DeliveryType, string>;
  discountBands: readonly DiscountBand[];
  escalation: {
    discountOverPct: Big;
    conditionsDiscountOverPct: Big;
    scopeGrowthOverPct: Big;
  };
}

export interface QuoteRequest {
  model: string;
  complexity: Complexity;
  segment: Segment;
  inputTokens: number;
  outputTokens: number;
  delivery: DeliveryType;
  discountPct: Big;
  nonStandardTerms: boolean;
  scopeGrowthPct: Big;
  scopeUnclear: boolean;
}

export interface QuotePrice {
  internalCost: Usd;
  baseMarkup: Big;
  segmentAdjustment: Big;
  finalMarkup: Big;
  floorApplied: boolean;
  recommendedPrice: Usd;
  discountPct: Big;
  finalPrice: Usd;
  /** Rounded down to two places; the guardrail itself compares exactly. */
  grossMarginPct: Big;
  marginThresholdPct: Big;
  guardrail: 'pass' | 'fail';
}

export interface QuoteDecision {
  status: DecisionStatus;
  reasons: string[];
  conditions: string[];
  approver: Approver;
  approverCondition: string;
  /** Where a failed guardrail goes; null when the guardrail passed. */
  guardrailRoute: string | null;
  /**
   * Who an escalated quote goes to: one route per escalation that fired, in the reasons' order.
   * Empty unless escalated; `approver` is then the discount band's, not the quote's decider.
   */
  escalatedTo: string[];
}
