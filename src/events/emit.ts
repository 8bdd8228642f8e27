import type { Db } from '../store/open.js';
import { stmt } from '../store/statements.js';

/**
 * The domain events other systems learn of (playbook §62). Each is written in the transaction of the
 * decision that caused it, here and nowhere else, so the webhooks publish from one table and never
 * announce a decision that was rolled back.
 */
export const DOMAIN_EVENTS = ['pricing.policy_changed'] as const;
export type DomainEventType = (typeof DOMAIN_EVENTS)[number];

export interface DomainEvent {
  id: number;
  type: DomainEventType;
  occurredAt: Date;
  subject: string | null;
  data: Record<string, unknown>;
}

export function emitEvent(db: Db, e: { type: DomainEventType; at: Date; subject?: string | null; data: Record<string, unknown> }): number {
  return Number(
    stmt(db, 'INSERT INTO domain_events (type, occurred_at, subject, data) VALUES (?, ?, ?, ?)').run(
      e.type, e.at.toISOString(), e.subject ?? null, JSON.stringify(e.data),
    ).lastInsertRowid,
  );
}

/** Events after an id, oldest first: how a publisher reads on from where it stopped. */
export function eventsAfter(db: Db, afterId: number, limit = 100): DomainEvent[] {
  return stmt<[number, number], { id: number; type: DomainEventType; occurred_at: string; subject: string | null; data: string }>(
    db,
    'SELECT id, type, occurred_at, subject, data FROM domain_events WHERE id > ? ORDER BY id LIMIT ?',
  )
    .all(afterId, limit)
    .map((r) => ({ id: r.id, type: r.type, occurredAt: new Date(r.occurred_at), subject: r.subject, data: JSON.parse(r.data) as Record<string, unknown> }));
}
