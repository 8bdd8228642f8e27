import type { Platform } from '../domain/actor.js';
import type { Authority, Requirement } from '../domain/approval-authority.js';
import type { Db } from './open.js';
import { stmt } from './statements.js';

export const APPROVAL_DECISIONS = ['approve', 'approve_as_exception', 'request_changes', 'decline'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export interface ApprovalRequest {
  id: number;
  quoteSeq: number;
  authority: Authority;
  requirements: Requirement[];
  responseHours: number;
  requestedAt: Date;
  respondBy: Date;
  escalatedAt: Date | null;
  decidedAt: Date | null;
  decision: ApprovalDecision | null;
  decidedBy: { platform: Platform; userId: string; name: string; personId: string | null } | null;
  note: string | null;
  exceptionSeq: number | null;
}

interface Row {
  id: number;
  quote_seq: number;
  authority: Authority;
  requirements: string;
  response_hours: number;
  requested_at: string;
  respond_by: string;
  escalated_at: string | null;
  decided_at: string | null;
  decision: ApprovalDecision | null;
  decided_by_platform: Platform | null;
  decided_by_user_id: string | null;
  decided_by_name: string | null;
  decided_by_person: string | null;
  note: string | null;
  exception_seq: number | null;
}

const date = (s: string | null) => (s ? new Date(s) : null);

function fromRow(r: Row): ApprovalRequest {
  return {
    id: r.id,
    quoteSeq: r.quote_seq,
    authority: r.authority,
    requirements: JSON.parse(r.requirements) as Requirement[],
    responseHours: r.response_hours,
    requestedAt: new Date(r.requested_at),
    respondBy: new Date(r.respond_by),
    escalatedAt: date(r.escalated_at),
    decidedAt: date(r.decided_at),
    decision: r.decision,
    decidedBy:
      r.decided_by_platform && r.decided_by_user_id
        ? { platform: r.decided_by_platform, userId: r.decided_by_user_id, name: r.decided_by_name ?? r.decided_by_user_id, personId: r.decided_by_person }
        : null,
    note: r.note,
    exceptionSeq: r.exception_seq,
  };
}

export const approvalSubject = (id: number) => `approval:${id}`;
export function approvalIdOfSubject(subject: string): number | null {
  const id = /^approval:(\d+)$/.exec(subject)?.[1];
  return id === undefined ? null : Number(id);
}

export function insertApprovalRequest(
  db: Db,
  r: { quoteSeq: number; authority: Authority; requirements: readonly Requirement[]; responseHours: number; requestedAt: Date; respondBy: Date },
): ApprovalRequest {
  const row = stmt<unknown[], Row>(
    db,
    `INSERT INTO approval_requests (quote_seq, authority, requirements, response_hours, requested_at, respond_by)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
  ).get(r.quoteSeq, r.authority, JSON.stringify(r.requirements), r.responseHours, r.requestedAt.toISOString(), r.respondBy.toISOString());
  if (!row) throw new Error('approval request insert returned nothing');
  return fromRow(row);
}

export function getApprovalRequest(db: Db, id: number): ApprovalRequest | null {
  const row = stmt<[number], Row>(db, 'SELECT * FROM approval_requests WHERE id = ?').get(id);
  return row ? fromRow(row) : null;
}

export function approvalForQuote(db: Db, quoteSeq: number): ApprovalRequest | null {
  const row = stmt<[number], Row>(db, 'SELECT * FROM approval_requests WHERE quote_seq = ?').get(quoteSeq);
  return row ? fromRow(row) : null;
}

/**
 * Undecided, and its quote still waiting for the desk: a quote that expired or whose proposal was
 * declined needs no decision, so it leaves the queue and the deadline check without one.
 */
const STILL_WAITING = `JOIN quotes q ON q.seq = r.quote_seq WHERE r.decided_at IS NULL AND q.state IN ('escalated', 'pending_approval')`;

/** Undecided requests, the most urgent first. */
export function pendingApprovals(db: Db): ApprovalRequest[] {
  return stmt<[], Row>(db, `SELECT r.* FROM approval_requests r ${STILL_WAITING} ORDER BY r.respond_by, r.id`).all().map(fromRow);
}

/** Undecided, not yet escalated, past their deadline: what the risk loop escalates. */
export function overdueApprovals(db: Db, now: Date): ApprovalRequest[] {
  return stmt<[string], Row>(db, `SELECT r.* FROM approval_requests r ${STILL_WAITING} AND r.escalated_at IS NULL AND r.respond_by <= ? ORDER BY r.respond_by, r.id`)
    .all(now.toISOString())
    .map(fromRow);
}

/** Requests decided in [from, to), for the nightly QA. */
export function approvalsDecidedBetween(db: Db, from: Date, to: Date): ApprovalRequest[] {
  return stmt<[string, string], Row>(db, 'SELECT * FROM approval_requests WHERE decided_at >= ? AND decided_at < ? ORDER BY decided_at, id')
    .all(from.toISOString(), to.toISOString())
    .map(fromRow);
}

/** Marks a request escalated once: false when it already was (another tick, another process). */
export function markApprovalEscalated(db: Db, id: number, at: Date): boolean {
  return stmt(db, 'UPDATE approval_requests SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL AND decided_at IS NULL').run(at.toISOString(), id).changes === 1;
}

/**
 * Records the one decision: double clicks, two approvers at once and Slack's retries all meet this
 * conditional update, and exactly one of them wins. False when someone decided first.
 */
export function decideApprovalRequest(
  db: Db,
  id: number,
  d: { decision: ApprovalDecision; at: Date; by: { platform: Platform; userId: string; name: string; personId: string | null }; note: string | null; exceptionSeq?: number | null },
): boolean {
  return (
    stmt(
      db,
      `UPDATE approval_requests SET decided_at = ?, decision = ?, decided_by_platform = ?, decided_by_user_id = ?, decided_by_name = ?,
         decided_by_person = ?, note = ?, exception_seq = ? WHERE id = ? AND decided_at IS NULL`,
    ).run(d.at.toISOString(), d.decision, d.by.platform, d.by.userId, d.by.name, d.by.personId, d.note, d.exceptionSeq ?? null, id).changes === 1
  );
}
