import type { Platform, Role } from './actor.js';
import type { QuoteState } from './quote-life.js';
import type { QuoteDecision, QuotePrice, QuoteRequest } from './pricing-types.js';

/** A quote as it stands in the ledger: what was asked, by whom, the price and the decision. */
export interface QuoteRecord {
  id: string;
  /** The ledger's row number; `id` is its display form. */
  seq: number;
  createdAt: Date;
  platform: Platform;
  surface: string;
  userId: string;
  userName: string;
  account: string | null;
  request: QuoteRequest;
  price: QuotePrice;
  decision: QuoteDecision;
  policyVersion: string;
  idempotencyKey: string | null;
  /** Where the quote is in its life (src/domain/quote-life.ts), and since when. */
  state: QuoteState;
  stateChangedAt: Date;
}

/** A quote about to be recorded: it starts in its pricing decision's state. */
export type NewQuoteRecord = Omit<QuoteRecord, 'id' | 'seq' | 'state' | 'stateChangedAt'> & {
  /** The asker's team person and role, for the first history row. */
  askerPersonId?: string | null;
  askerRole?: Role | null;
};

const ID_PREFIX = 'Q-';

export function formatQuoteId(seq: number): string {
  return `${ID_PREFIX}${String(seq).padStart(5, '0')}`;
}

/** Accepts "Q-00042", "q-42" or "42"; null when it cannot be a quote id. */
export function parseQuoteId(id: string): number | null {
  const m = /^(?:q-)?0*(\d{1,12})$/i.exec(id.trim());
  return m?.[1] ? Number(m[1]) : null;
}

