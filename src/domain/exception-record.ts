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
