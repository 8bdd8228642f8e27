import Big from 'big.js';
import type { Platform } from '../domain/actor.js';
import { fromMicros, toMicros, type Usd } from '../domain/money.js';
import type { Approver, Complexity, DecisionStatus, DeliveryType, Segment } from '../domain/pricing-types.js';
import { formatQuoteId, parseQuoteId, type NewQuoteRecord, type QuoteRecord } from '../domain/quote-record.js';
import { averageMarginPct, marginBySegment, type GroupMargin, type MarginTally } from '../domain/portfolio.js';
import type { Db } from './open.js';
import { appendHistory } from './quote-history.js';
import type { QuoteState } from '../domain/quote-life.js';
import { stmt } from './statements.js';

export interface QuoteRow {
  seq: number;
  created_at: string;
  platform: Platform;
  surface: string;
  user_id: string;
  user_name: string;
  account: string | null;
  segment: Segment;
  complexity: Complexity;
  delivery_type: DeliveryType;
  model: string;
  input_tokens: number;
  output_tokens: number;
  internal_cost_micros: number;
  base_markup: string;
  segment_adjustment: string;
  final_markup: string;
  floor_applied: 0 | 1;
  discount_bp: number;
  recommended_price_micros: number;
  final_price_micros: number;
  gross_margin_bp: number;
  margin_threshold_bp: number;
  guardrail: 'pass' | 'fail';
  guardrail_route: string | null;
  non_standard_terms: 0 | 1;
  scope_growth_bp: number;
  scope_unclear: 0 | 1;
  decision: DecisionStatus;
  reasons: string;
  conditions: string;
  approver: Approver;
  approver_condition: string;
  escalated_to: string;
  policy_version: string;
  idempotency_key: string | null;
  state: QuoteState;
  state_changed_at: string;
}

const toBp = (pct: Big) => Number(pct.times(100).round(0, Big.roundDown).toFixed(0));
const fromBp = (bp: number) => new Big(bp).div(100);
const bit = (b: boolean): 0 | 1 => (b ? 1 : 0);

function toRow(q: NewQuoteRecord): Omit<QuoteRow, 'seq'> {
  const { request: r, price: p, decision: d } = q;
  return {
    created_at: q.createdAt.toISOString(),
    platform: q.platform,
    surface: q.surface,
    user_id: q.userId,
    user_name: q.userName,
    account: q.account,
    segment: r.segment,
    complexity: r.complexity,
    delivery_type: r.delivery,
    model: r.model,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    internal_cost_micros: toMicros(p.internalCost),
    base_markup: p.baseMarkup.toFixed(),
    segment_adjustment: p.segmentAdjustment.toFixed(),
    final_markup: p.finalMarkup.toFixed(),
    floor_applied: bit(p.floorApplied),
    discount_bp: toBp(p.discountPct),
    recommended_price_micros: toMicros(p.recommendedPrice),
    final_price_micros: toMicros(p.finalPrice),
    gross_margin_bp: toBp(p.grossMarginPct),
    margin_threshold_bp: toBp(p.marginThresholdPct),
    guardrail: p.guardrail,
    guardrail_route: d.guardrailRoute,
    non_standard_terms: bit(r.nonStandardTerms),
    scope_growth_bp: toBp(r.scopeGrowthPct),
    scope_unclear: bit(r.scopeUnclear),
    decision: d.status,
    reasons: JSON.stringify(d.reasons),
    conditions: JSON.stringify(d.conditions),
    approver: d.approver,
    approver_condition: d.approverCondition,
    escalated_to: JSON.stringify(d.escalatedTo),
    policy_version: q.policyVersion,
    idempotency_key: q.idempotencyKey,
    state: d.status,
    state_changed_at: q.createdAt.toISOString(),
  };
}

export function fromRow(row: QuoteRow): QuoteRecord {
  const discountPct = fromBp(row.discount_bp);
  return {
    id: formatQuoteId(row.seq),
    seq: row.seq,
    createdAt: new Date(row.created_at),
    platform: row.platform,
    surface: row.surface,
    userId: row.user_id,
    userName: row.user_name,
    account: row.account,
    request: {
      model: row.model,
      complexity: row.complexity,
      segment: row.segment,
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      delivery: row.delivery_type,
      discountPct,
      nonStandardTerms: row.non_standard_terms === 1,
      scopeGrowthPct: fromBp(row.scope_growth_bp),
      scopeUnclear: row.scope_unclear === 1,
    },
    price: {
      internalCost: fromMicros(row.internal_cost_micros),
      baseMarkup: new Big(row.base_markup),
      segmentAdjustment: new Big(row.segment_adjustment),
      finalMarkup: new Big(row.final_markup),
      floorApplied: row.floor_applied === 1,
      recommendedPrice: fromMicros(row.recommended_price_micros),
      discountPct,
      finalPrice: fromMicros(row.final_price_micros),
      grossMarginPct: fromBp(row.gross_margin_bp),
      marginThresholdPct: fromBp(row.margin_threshold_bp),
      guardrail: row.guardrail,
    },
    decision: {
      status: row.decision,
      reasons: JSON.parse(row.reasons) as string[],
      conditions: JSON.parse(row.conditions) as string[],
      approver: row.approver,
      approverCondition: row.approver_condition,
      guardrailRoute: row.guardrail_route,
      escalatedTo: JSON.parse(row.escalated_to) as string[],
    },
    policyVersion: row.policy_version,
    idempotencyKey: row.idempotency_key,
    state: row.state,
    stateChangedAt: new Date(row.state_changed_at),
  };
}

let insertSql: string | undefined;
/** The insert's column list is derived from what toRow writes, once. */
function insertSqlFor(row: Omit<QuoteRow, 'seq'>): string {
  const columns = Object.keys(row);
  return (insertSql ??= `INSERT INTO quotes (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING seq`);
}

export function findQuoteByIdempotencyKey(db: Db, key: string): QuoteRecord | null {
  const row = stmt<[string], QuoteRow>(db, 'SELECT * FROM quotes WHERE idempotency_key = ?').get(key);
  return row ? fromRow(row) : null;
}

export function getQuote(db: Db, id: string): QuoteRecord | null {
  const seq = parseQuoteId(id);
  if (seq === null) return null;
  const row = stmt<[number], QuoteRow>(db, 'SELECT * FROM quotes WHERE seq = ?').get(seq);
  return row ? fromRow(row) : null;
}

/**
 * Records a quote once. A retry carrying the same idempotency key gets the quote first recorded,
 * with `created: false`, and nothing new is written.
 */
export function recordQuote(db: Db, quote: NewQuoteRecord): { quote: QuoteRecord; created: boolean } {
  return recordTransaction(db).immediate(quote);
}

const transactions = new WeakMap<Db, ReturnType<typeof makeRecordTransaction>>();
const recordTransaction = (db: Db) => {
  let tx = transactions.get(db);
  if (!tx) transactions.set(db, (tx = makeRecordTransaction(db)));
  return tx;
};

function makeRecordTransaction(db: Db) {
  return db.transaction((quote: NewQuoteRecord): { quote: QuoteRecord; created: boolean } => {
    // Look before inserting: with AUTOINCREMENT, an insert skipped by ON CONFLICT still uses up a
    // seq, and a retry would leave a gap in the quote numbers (Q-00001, Q-00003).
    const earlier = quote.idempotencyKey ? findQuoteByIdempotencyKey(db, quote.idempotencyKey) : null;
    if (earlier) return { quote: earlier, created: false };
    const row = toRow(quote);
    const inserted = stmt<[Omit<QuoteRow, 'seq'>], { seq: number }>(db, insertSqlFor(row)).get(row);
    if (inserted) {
      // The quote's life begins, in the same transaction, with its pricing decision.
      appendHistory(db, {
        quoteSeq: inserted.seq,
        at: quote.createdAt,
        from: null,
        to: row.state,
        actor: { platform: quote.platform, userId: quote.userId, name: quote.userName, personId: quote.askerPersonId, role: quote.askerRole },
      });
      const { askerPersonId: _p, askerRole: _r, ...record } = quote;
      return { quote: { ...record, id: formatQuoteId(inserted.seq), seq: inserted.seq, state: row.state, stateChangedAt: quote.createdAt }, created: true };
    }
    const existing = quote.idempotencyKey ? findQuoteByIdempotencyKey(db, quote.idempotencyKey) : null;
    if (!existing) throw new Error('quote insert was skipped but no quote holds its idempotency key');
    return { quote: existing, created: false };
  });
}

export interface QuoteDayReport {
  quotesTotal: number;
  byDecision: Record<DecisionStatus, number>;
  /** The day's average margin (null with no quotes) and per segment, from the one domain rule every surface uses. */
  avgMarginPct: Big | null;
  bySegment: GroupMargin<Segment>[];
}

export function reportQuotes(db: Db, range: { from: Date; to: Date }): QuoteDayReport {
  const params = [range.from.toISOString(), range.to.toISOString()] as [string, string];
  const where = 'WHERE created_at >= ? AND created_at < ?';
  const decisions = stmt<[string, string], { decision: DecisionStatus; n: number }>(
    db,
    `SELECT decision, COUNT(*) AS n FROM quotes ${where} GROUP BY decision`,
  ).all(...params);
  // SQL only fetches the margins; averaging them is the domain's rule, not the database's.
  const margins = stmt<[string, string], { segment: Segment; delivery_type: DeliveryType; gross_margin_bp: number }>(
    db,
    `SELECT segment, delivery_type, gross_margin_bp FROM quotes ${where}`,
  ).all(...params);
  const samples = margins.map((m) => ({ segment: m.segment, delivery: m.delivery_type, grossMarginPct: fromBp(m.gross_margin_bp) }));
  const byDecision: Record<DecisionStatus, number> = { approved: 0, approved_with_conditions: 0, escalated: 0 };
  for (const d of decisions) byDecision[d.decision] = d.n;
  return {
    quotesTotal: decisions.reduce((sum, d) => sum + d.n, 0),
    byDecision,
    avgMarginPct: averageMarginPct(samples),
    bySegment: marginBySegment(samples),
  };
}

export function countQuotesSince(db: Db, since: Date): number {
  return stmt<[string], { n: number }>(db, 'SELECT COUNT(*) AS n FROM quotes WHERE created_at >= ?').get(since.toISOString())?.n ?? 0;
}

/** Quotes created in [from, to), oldest first. */
export function listQuotesBetween(db: Db, from: Date, to: Date): QuoteRecord[] {
  return stmt<[string, string], QuoteRow>(db, 'SELECT * FROM quotes WHERE created_at >= ? AND created_at < ? ORDER BY seq')
    .all(from.toISOString(), to.toISOString())
    .map(fromRow);
}

/**
 * Quotes created in [from, to) counted and summed per segment, delivery type and decision, in SQL
 * through the covering index quotes_tally: the weekly retro needs figures, not 2,000 records (a
 * slim row per quote still cost 11 ms a week). The averages stay the domain's (portfolio.ts tallies).
 */
export function quoteTallyBetween(db: Db, from: Date, to: Date): MarginTally[] {
  return stmt<[string, string], { segment: Segment; delivery_type: DeliveryType; decision: DecisionStatus; n: number; bp: number }>(
    db,
    `SELECT segment, delivery_type, decision, COUNT(*) AS n, SUM(gross_margin_bp) AS bp FROM quotes
     WHERE created_at >= ? AND created_at < ? GROUP BY segment, delivery_type, decision`,
  )
    .all(from.toISOString(), to.toISOString())
    .map((r) => ({ segment: r.segment, delivery: r.delivery_type, decision: r.decision, count: r.n, sumMarginBp: r.bp }));
}

/** Quotes created in [from, to): how many, what they were worth, and the models in order of first use. */
export function quoteTakingsBetween(db: Db, from: Date, to: Date): { count: number; revenue: Usd; models: { model: string; count: number }[] } {
  const window = [from.toISOString(), to.toISOString()] as const;
  const models = stmt<[string, string], { model: string; n: number }>(
    db,
    'SELECT model, COUNT(*) AS n FROM quotes WHERE created_at >= ? AND created_at < ? GROUP BY model ORDER BY MIN(seq)',
  ).all(...window);
  const { micros } = stmt<[string, string], { micros: number }>(
    db,
    'SELECT COALESCE(SUM(final_price_micros), 0) AS micros FROM quotes WHERE created_at >= ? AND created_at < ?',
  ).get(...window) ?? { micros: 0 };
  return { count: models.reduce((n, m) => n + m.n, 0), revenue: fromMicros(micros), models: models.map((m) => ({ model: m.model, count: m.n })) };
}

/** Ids of the quotes created in [from, to) whose pricing escalated them, oldest first. */
export function escalatedQuoteIdsBetween(db: Db, from: Date, to: Date): string[] {
  return stmt<[string, string], { seq: number }>(
    db,
    `SELECT seq FROM quotes WHERE created_at >= ? AND created_at < ? AND decision = 'escalated' ORDER BY seq`,
  )
    .all(from.toISOString(), to.toISOString())
    .map((r) => formatQuoteId(r.seq));
}
