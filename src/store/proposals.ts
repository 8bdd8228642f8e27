import type { Platform } from '../domain/actor.js';
import type { Segment } from '../domain/pricing-types.js';
import { formatProposalId, type ExecDecision, type ExecReviewState, type ProposalTag } from '../domain/proposal.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import type { Db } from './open.js';
import { getQuote } from './quotes.js';
import { stmt } from './statements.js';

export interface ProposalOptionRecord {
  tag: ProposalTag;
  quote: QuoteRecord;
  exceptionOwner: string | null;
}

export interface ExecReview {
  state: ExecReviewState;
  reasons: string[];
  decidedAt: Date | null;
  decidedBy: { platform: Platform; userId: string; name: string; personId: string | null } | null;
  memo: string | null;
}

export interface ProposalRecord {
  id: string;
  seq: number;
  createdAt: Date;
  platform: Platform;
  surface: string;
  userId: string;
  userName: string;
  account: string;
  segment: Segment;
  /** Options in tag order (base, recommended, premium, stretch). */
  options: ProposalOptionRecord[];
  /** Null when none of §40's triggers fired. */
  execReview: ExecReview | null;
}

interface ProposalRow {
  seq: number;
  created_at: string;
  platform: Platform;
  surface: string;
  user_id: string;
  user_name: string;
  account: string;
  segment: Segment;
  idempotency_key: string | null;
  exec_review: ExecReviewState | null;
  exec_reasons: string;
  exec_decided_at: string | null;
  exec_platform: Platform | null;
  exec_user_id: string | null;
  exec_user_name: string | null;
  exec_person_id: string | null;
  exec_memo: string | null;
}

interface OptionRow {
  tag: ProposalTag;
  quote_seq: number;
  exception_owner: string | null;
}

const TAG_ORDER = "CASE tag WHEN 'base' THEN 1 WHEN 'recommended' THEN 2 WHEN 'premium' THEN 3 ELSE 4 END";

function load(db: Db, row: ProposalRow): ProposalRecord {
  const options = stmt<[number], OptionRow>(db, `SELECT tag, quote_seq, exception_owner FROM proposal_options WHERE proposal_seq = ? ORDER BY ${TAG_ORDER}`)
    .all(row.seq)
    .map((o) => {
      const quote = getQuote(db, String(o.quote_seq));
      if (!quote) throw new Error(`proposal ${row.seq} links quote ${o.quote_seq}, which is not in the ledger`);
      return { tag: o.tag, quote, exceptionOwner: o.exception_owner };
    });
  const decidedBy =
    row.exec_user_id && row.exec_platform
      ? { platform: row.exec_platform, userId: row.exec_user_id, name: row.exec_user_name ?? row.exec_user_id, personId: row.exec_person_id }
      : null;
  return {
    id: formatProposalId(row.seq),
    seq: row.seq,
    createdAt: new Date(row.created_at),
    platform: row.platform,
    surface: row.surface,
    userId: row.user_id,
    userName: row.user_name,
    account: row.account,
    segment: row.segment,
    options,
    execReview: row.exec_review
      ? {
          state: row.exec_review,
          reasons: JSON.parse(row.exec_reasons) as string[],
          decidedAt: row.exec_decided_at ? new Date(row.exec_decided_at) : null,
          decidedBy,
          memo: row.exec_memo,
        }
      : null,
  };
}

export function getProposal(db: Db, seq: number): ProposalRecord | null {
  const row = stmt<[number], ProposalRow>(db, 'SELECT * FROM proposals WHERE seq = ?').get(seq);
  return row ? load(db, row) : null;
}

export function findProposalByIdempotencyKey(db: Db, key: string): ProposalRecord | null {
  const row = stmt<[string], ProposalRow>(db, 'SELECT * FROM proposals WHERE idempotency_key = ?').get(key);
  return row ? load(db, row) : null;
}

export interface NewProposal {
  createdAt: Date;
  platform: Platform;
  surface: string;
  userId: string;
  userName: string;
  account: string;
  segment: Segment;
  idempotencyKey: string | null;
  execReasons: string[];
  options: { tag: ProposalTag; quoteSeq: number; exceptionOwner: string | null }[];
}

/** Inserts a proposal and links its options' quotes. Run it in the transaction that recorded the quotes. */
export function insertProposal(db: Db, p: NewProposal): number {
  const inserted = stmt<unknown[], { seq: number }>(
    db,
    `INSERT INTO proposals (created_at, platform, surface, user_id, user_name, account, segment, idempotency_key, exec_review, exec_reasons)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
  ).get(
    p.createdAt.toISOString(), p.platform, p.surface, p.userId, p.userName, p.account, p.segment, p.idempotencyKey,
    p.execReasons.length ? 'pending' : null, JSON.stringify(p.execReasons),
  );
  if (!inserted) throw new Error('proposal insert returned no row');
  for (const o of p.options) {
    stmt(db, 'INSERT INTO proposal_options (proposal_seq, tag, quote_seq, exception_owner) VALUES (?, ?, ?, ?)').run(inserted.seq, o.tag, o.quoteSeq, o.exceptionOwner);
  }
  return inserted.seq;
}

/** The subject of a proposal's executive review post ("proposal_review:3"), rendered from its current state. */
export const proposalReviewSubject = (seq: number) => `proposal_review:${seq}`;
export function proposalSeqOfReviewSubject(subject: string): number | null {
  const seq = /^proposal_review:(\d+)$/.exec(subject)?.[1];
  return seq === undefined ? null : Number(seq);
}

/**
 * Records the executive's decision only while the review is still pending: of two clicks (or two
 * executives) at once, exactly one decides. False when someone decided first.
 */
export function decideExecReview(
  db: Db,
  seq: number,
  d: { decision: ExecDecision; at: Date; platform: Platform; userId: string; name: string; personId: string | null; memo: string | null },
): boolean {
  return (
    stmt(
      db,
      `UPDATE proposals SET exec_review = ?, exec_decided_at = ?, exec_platform = ?, exec_user_id = ?, exec_user_name = ?, exec_person_id = ?, exec_memo = ?
       WHERE seq = ? AND exec_review = 'pending'`,
    ).run(d.decision, d.at.toISOString(), d.platform, d.userId, d.name, d.personId, d.memo, seq).changes === 1
  );
}

/** The newest proposals first; a sales rep's list is filtered to their own (playbook §55 access). */
export function listProposals(db: Db, filter: { owner?: { platform: Platform; userId: string }; account?: string; limit: number }): ProposalRecord[] {
  const account = filter.account ?? null;
  // Two statements, so a rep's list walks proposals_by_user and everyone's the primary key.
  const rows = filter.owner
    ? stmt<[string, string, string | null, string | null, number], ProposalRow>(db, LIST_OWN).all(filter.owner.platform, filter.owner.userId, account, account, filter.limit)
    : stmt<[string | null, string | null, number], ProposalRow>(db, LIST_ALL).all(account, account, filter.limit);
  return rows.map((r) => load(db, r));
}
export const LIST_OWN = `SELECT * FROM proposals WHERE platform = ? AND user_id = ? AND (? IS NULL OR account = ? COLLATE NOCASE) ORDER BY seq DESC LIMIT ?`;
export const LIST_ALL = `SELECT * FROM proposals WHERE (? IS NULL OR account = ? COLLATE NOCASE) ORDER BY seq DESC LIMIT ?`;

/**
 * Each proposal created in [from, to) with its options' guardrail outcomes counted: what the
 * portfolio compliance figure needs, and nothing more.
 */
export function proposalComplianceBetween(db: Db, from: Date, to: Date): { proposalSeq: number; segment: Segment; compliant: number; options: number }[] {
  return stmt<[string, string], { proposal_seq: number; segment: Segment; compliant: number; options: number }>(db, COMPLIANCE_BETWEEN)
    .all(from.toISOString(), to.toISOString())
    .map((r) => ({ proposalSeq: r.proposal_seq, segment: r.segment, compliant: r.compliant, options: r.options }));
}
export const COMPLIANCE_BETWEEN = `SELECT o.proposal_seq, p.segment, SUM(q.guardrail = 'pass') AS compliant, COUNT(*) AS options
   FROM proposals p JOIN proposal_options o ON o.proposal_seq = p.seq JOIN quotes q ON q.seq = o.quote_seq
  WHERE p.created_at >= ? AND p.created_at < ?
  GROUP BY o.proposal_seq ORDER BY o.proposal_seq`;
