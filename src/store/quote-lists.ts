import type { Segment } from '../domain/pricing-types.js';
import type { Identity } from '../domain/quote-access.js';
import type { QuoteState } from '../domain/quote-life.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import type { Db } from './open.js';
import { fromRow, type QuoteRow } from './quotes.js';
import { stmt } from './statements.js';

export interface QuoteFilter {
  state?: QuoteState;
  account?: string;
  segment?: Segment;
  /** Quotes created at or after this instant. */
  since?: Date;
  /** Only quotes asked under one of these ids (a sales rep's own); undefined for all. */
  askers?: readonly Identity[];
  limit: number;
}

/**
 * Quotes matching a filter, newest first. Every filter is an equality the 0009 indexes serve
 * (by state, by asker, by account), so a rep's list never scans the whole ledger.
 */
export function listQuotes(db: Db, filter: QuoteFilter): QuoteRecord[] {
  if (filter.askers?.length === 0) return [];
  const { sql, params } = listQuotesSql(filter);
  return stmt<unknown[], QuoteRow>(db, sql).all(...params).map(fromRow);
}

/** The list's SQL and parameters, apart so a test can pin its query plan. */
export function listQuotesSql(filter: QuoteFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.askers) {
    where.push(`(${filter.askers.map(() => '(platform = ? AND user_id = ?)').join(' OR ') || '0'})`);
    for (const a of filter.askers) params.push(a.platform, a.userId);
  }
  if (filter.state) (where.push('state = ?'), params.push(filter.state));
  if (filter.account) (where.push('account = ?'), params.push(filter.account));
  if (filter.segment) (where.push('segment = ?'), params.push(filter.segment));
  if (filter.since) {
    // Every quote since then has a seq at least the first one's: a range on the primary key, found
    // through the created_at index, so the newest-first walk stops at the date instead of scanning.
    where.push('created_at >= ? AND seq >= (SELECT MIN(seq) FROM quotes INDEXED BY quotes_by_created_at WHERE created_at >= ?)');
    params.push(filter.since.toISOString(), filter.since.toISOString());
  }
  params.push(filter.limit);
  return { sql: `SELECT * FROM quotes${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`, params };
}

/** Quotes in a state since `before` or earlier, oldest change first: expiry's work, `limit` at a time. */
export function listQuotesInStatesBefore(db: Db, states: readonly QuoteState[], before: Date, limit: number): QuoteRecord[] {
  const rows: QuoteRow[] = [];
  // One indexed range per state (state, state_changed_at), rather than an IN that may sort the table.
  for (const state of states) {
    if (rows.length >= limit) break;
    rows.push(...stmt<[string, string, number], QuoteRow>(db, 'SELECT * FROM quotes WHERE state = ? AND state_changed_at <= ? ORDER BY state_changed_at LIMIT ?').all(state, before.toISOString(), limit - rows.length));
  }
  return rows.map(fromRow);
}
