import type { Platform, Role } from '../domain/actor.js';
import type { QuoteState } from '../domain/quote-life.js';
import type { Db } from './open.js';
import { stmt } from './statements.js';

export interface HistoryActor {
  platform: Platform;
  userId: string;
  name: string;
  personId?: string | null;
  role?: Role | null;
}

export interface QuoteHistoryEntry {
  id: number;
  quoteSeq: number;
  at: Date;
  from: QuoteState | null;
  to: QuoteState;
  actor: HistoryActor;
  note: string | null;
  detail: Record<string, unknown>;
}

interface HistoryRow {
  id: number;
  quote_seq: number;
  at: string;
  from_state: QuoteState | null;
  to_state: QuoteState;
  platform: Platform;
  user_id: string;
  user_name: string;
  person_id: string | null;
  role: Role | null;
  note: string | null;
  detail: string;
}

const fromRow = (r: HistoryRow): QuoteHistoryEntry => ({
  id: r.id,
  quoteSeq: r.quote_seq,
  at: new Date(r.at),
  from: r.from_state,
  to: r.to_state,
  actor: { platform: r.platform, userId: r.user_id, name: r.user_name, personId: r.person_id, role: r.role },
  note: r.note,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

export function appendHistory(
  db: Db,
  entry: { quoteSeq: number; at: Date; from: QuoteState | null; to: QuoteState; actor: HistoryActor; note?: string | null; detail?: Record<string, unknown> },
): number {
  const { actor } = entry;
  return Number(
    stmt(db, `INSERT INTO quote_history (quote_seq, at, from_state, to_state, platform, user_id, user_name, person_id, role, note, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      entry.quoteSeq,
      entry.at.toISOString(),
      entry.from,
      entry.to,
      actor.platform,
      actor.userId,
      actor.name,
      actor.personId ?? null,
      actor.role ?? null,
      entry.note ?? null,
      JSON.stringify(entry.detail ?? {}),
    ).lastInsertRowid,
  );
}

export function quoteHistory(db: Db, quoteSeq: number): QuoteHistoryEntry[] {
  return stmt<[number], HistoryRow>(db, 'SELECT * FROM quote_history WHERE quote_seq = ? ORDER BY id').all(quoteSeq).map(fromRow);
}

/**
 * Moves a quote from one state to another only if it is still in the state the move was decided
 * from: of two approvers pressing at once, exactly one moves it. False when someone else won.
 */
export function setQuoteState(db: Db, quoteSeq: number, from: QuoteState, to: QuoteState, at: Date): boolean {
  return stmt(db, 'UPDATE quotes SET state = ?, state_changed_at = ? WHERE seq = ? AND state = ?').run(to, at.toISOString(), quoteSeq, from).changes === 1;
}
