import Big from 'big.js';
import { FINAL } from '../domain/quote-life.js';
import type { ValidationQuote } from '../domain/policy-validation.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import type { Db } from './open.js';
import { fromRow, type QuoteRow } from './quotes.js';
import { stmt } from './statements.js';

/**
 * The quotes a policy version is judged by and the ones it leaves to re-issue. Every query is bounded
 * by created_at (quotes_by_created_at): a version cannot have priced a quote before it took effect.
 */

interface Row {
  created_at: string;
  gross_margin_bp: number;
  decision: string;
}

/** The statements, exported so a test pins each one's plan to quotes_by_created_at. */
export const POLICY_QUOTES_SQL = {
  between: 'SELECT created_at, gross_margin_bp, decision FROM quotes WHERE created_at >= ? AND created_at < ?',
  underVersion: 'SELECT created_at, gross_margin_bp, decision FROM quotes WHERE created_at >= ? AND created_at <= ? AND policy_version = ?',
  open: `SELECT * FROM quotes WHERE created_at >= ? AND policy_version = ? AND state NOT IN (${FINAL.map(() => '?').join(', ')}) ORDER BY created_at, seq`,
} as const;

const toSample = (r: Row): ValidationQuote => ({
  at: new Date(r.created_at),
  grossMarginPct: new Big(r.gross_margin_bp).div(100),
  escalated: r.decision === 'escalated',
});

/** Quotes priced in [from, to), whatever version: the baseline week before a change. */
export function quotesBetweenForValidation(db: Db, from: Date, to: Date): ValidationQuote[] {
  return stmt<[string, string], Row>(db, POLICY_QUOTES_SQL.between)
    .all(from.toISOString(), to.toISOString())
    .map(toSample);
}

/** Quotes priced under one version in [from, to]: what the change did. */
export function quotesUnderVersion(db: Db, versionId: string, from: Date, to: Date): ValidationQuote[] {
  return stmt<[string, string, string], Row>(db, POLICY_QUOTES_SQL.underVersion)
    .all(from.toISOString(), to.toISOString(), versionId)
    .map(toSample);
}

/**
 * Quotes priced under a version that can still be won (not won, lost, declined or expired), oldest
 * first (by time, so the range on created_at also gives the order): after a rollback they are re-issued at the restored price. A won quote keeps its price.
 */
export function openQuotesPricedUnder(db: Db, versionId: string, since: Date): QuoteRecord[] {
  return stmt<string[], QuoteRow>(db, POLICY_QUOTES_SQL.open)
    .all(since.toISOString(), versionId, ...FINAL)
    .map(fromRow);
}
