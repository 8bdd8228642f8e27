import type { RiskLevel } from './exception-risk.js';

/**
 * Playbook §44: who hears about a level. `digest` waits for the daily ops digest; `notify` tells the
 * revenue manager and the quote owner now; `page` pages the executive sponsor and puts the item on
 * the same-day review agenda.
 */
export type Route = 'none' | 'digest' | 'notify' | 'page';

export const ROUTE_BY_LEVEL = {
  none: 'none',
  ok: 'digest',
  warning: 'notify',
  critical: 'page',
} as const satisfies Record<RiskLevel, Route>;

export interface Recipients {
  /** Channels to post in, by purpose. */
  channels: ('ops' | 'exec')[];
  /** People to mention or message, by role in the alert. */
  people: ('revenue_manager' | 'quote_owner' | 'executive_sponsor')[];
  /** Notified and paged alerts carry an Acknowledge button. */
  acknowledgeable: boolean;
  /** Only a page escalates when nobody acknowledges it in time. */
  escalatesWithoutAck: boolean;
  addToReviewAgenda: boolean;
}

export function recipientsFor(level: RiskLevel): Recipients {
  switch (ROUTE_BY_LEVEL[level]) {
    case 'none':
    case 'digest':
      return { channels: [], people: [], acknowledgeable: false, escalatesWithoutAck: false, addToReviewAgenda: false };
    case 'notify':
      return { channels: ['ops'], people: ['revenue_manager', 'quote_owner'], acknowledgeable: true, escalatesWithoutAck: false, addToReviewAgenda: false };
    case 'page':
      return { channels: ['ops', 'exec'], people: ['executive_sponsor'], acknowledgeable: true, escalatesWithoutAck: true, addToReviewAgenda: true };
  }
}

/** Only these roles may acknowledge an alert. */
export const ACK_ROLES = ['revenue_manager', 'executive'] as const;

export function mayAcknowledge(role: string): boolean {
  return (ACK_ROLES as readonly string[]).includes(role);
}

/** A critical alert not acknowledged by its deadline escalates once. */
export function ackDeadline(raisedAt: Date, timeoutMinutes: number): Date {
  return new Date(raisedAt.getTime() + timeoutMinutes * 60_000);
}

export function isOverdue(deadline: Date, now: Date): boolean {
  return now.getTime() >= deadline.getTime();
}
