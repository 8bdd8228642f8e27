import type { Platform } from './actor.js';

export type ExceptionStatus = 'open' | 'rejected' | 'closed';

export interface ProgressNote {
  notedAt: Date;
  note: string;
  userName: string;
}

/** A strategic exception (playbook §39): margin given up on purpose, with a plan to win it back. */
export interface ExceptionRecord {
  id: string;
  seq: number;
  status: ExceptionStatus;
  quoteRef: string;
  account: string;
  segment: string;
  reason: string;
  approvedByName: string;
  approvedByRole: string;
  owner: string;
  recoveryPlan: string | null;
  targetDate: string | null;
  approvedAt: Date;
  rejectionReason: string | null;
  outcome: 'recovered' | 'retired' | null;
  closedAt: Date | null;
  createdAt: Date;
  createdBy: { platform: Platform; userId: string; name: string };
  progress: ProgressNote[];
}

export function formatExceptionId(seq: number): string {
  return `EX-${String(seq).padStart(5, '0')}`;
}

export function parseExceptionId(id: string): number | null {
  const m = /^(?:ex-)?0*(\d{1,12})$/i.exec(id.trim());
  return m?.[1] ? Number(m[1]) : null;
}

/**
 * An alert as people type it: `#12`, as every post shows it ("alert #12"). A bare number is an
 * exception (`/exceptions show 2` is EX-00002), so `/exceptions ack 2` is refused with a hint
 * instead of meaning a different thing from the same number.
 */
export type AlertRef = { kind: 'alert'; id: number } | { kind: 'bare'; id: number } | { kind: 'other' };

export function parseAlertRef(ref: string): AlertRef {
  const t = ref.trim();
  const alert = /^#\s*0*(\d{1,12})$/.exec(t);
  if (alert?.[1]) return { kind: 'alert', id: Number(alert[1]) };
  const bare = /^0*(\d{1,12})$/.exec(t);
  if (bare?.[1]) return { kind: 'bare', id: Number(bare[1]) };
  return { kind: 'other' };
}

/** Who, besides the recovery owner, may close an exception. */
export const EXCEPTION_MANAGER_ROLES = ['revenue_manager', 'executive'] as const;
export type CloseOutcome = 'recovered' | 'retired';

/**
 * Whether this person may close this exception so (null) or why not. Recovered needs evidence (at
 * least one progress note) and the owner, a revenue manager or an executive to say so. Retiring
 * gives the margin up for good, which §41 makes a management decision ("re-approval or
 * retirement"), so only a revenue manager or an executive may retire, owner or not.
 */
export type CloseRefusal = { kind: 'forbidden' | 'needs_progress'; message: string };

export function closeRefusal(
  e: Pick<ExceptionRecord, 'id' | 'status' | 'progress'>,
  outcome: CloseOutcome,
  who: { role: string; isOwner: boolean },
  ownerName: string,
): CloseRefusal | null {
  if (e.status !== 'open') return null;
  const manager = (EXCEPTION_MANAGER_ROLES as readonly string[]).includes(who.role);
  if (outcome === 'retired') {
    return manager ? null : { kind: 'forbidden', message: `Only a revenue manager or an executive can retire ${e.id}; you are listed as ${who.role}.` };
  }
  if (!manager && !who.isOwner) {
    return { kind: 'forbidden', message: `Only ${e.id}'s owner (${ownerName}), a revenue manager or an executive can close it as recovered; you are listed as ${who.role}.` };
  }
  if (e.progress.length === 0) {
    return { kind: 'needs_progress', message: `${e.id} has no progress notes: log what recovered the margin with \`/exceptions progress ${e.id} note="..."\`, then close it as recovered.` };
  }
  return null;
}
