import type { Platform } from '../domain/actor.js';
import type { Logger } from '../logger.js';
import type { Reply } from '../reply/reply.js';
import { alertMessages, recordAlertMessage } from '../store/alerts.js';
import { isBusy, retryWhileBusy } from '../store/busy.js';
import type { Db } from '../store/open.js';
import {
  dueItems,
  hasPendingAlertPost,
  hasPendingPost,
  markDelivered,
  markFailed,
  markRetry,
  postedMessages,
  recordPostedMessage,
  type OutboxItem,
} from '../store/outbox.js';

/** How one platform sends: post a new message, or update one already posted. */
export interface Transport {
  platform: Platform;
  /** `queuedAt` lets a surface that was closed say the message waited for it. */
  post(destination: string, reply: Reply, meta?: { queuedAt: Date }): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, reply: Reply): Promise<void>;
}

/** A platform said "slow down": try again after this many seconds, without counting it a failure. */
export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limited; retry after ${retryAfterSeconds}s`);
  }
}

export const MAX_ATTEMPTS = 8;
const backoffMs = (attempts: number) => Math.min(5_000 * 2 ** attempts, 10 * 60_000);
const WAIT_FOR_POST_MS = 2_000;
/**
 * Once a platform accepted a message, marking it delivered must not be lost to a lock held by another
 * process, or the next poll would send it twice. The loop runs one delivery at a time, so it can
 * afford to wait, asynchronously, much longer than a person's request.
 */
const MARK_AFTER_SEND_BUDGET_MS = 30_000;
const afterSend = (write: () => void) => retryWhileBusy(write, { budgetMs: MARK_AFTER_SEND_BUDGET_MS });

export interface DeliveryEnv {
  db: Db;
  transports: ReadonlyMap<Platform, Transport>;
  /** The alert as it stands now, one Reply for every platform; null when it no longer exists. */
  renderAlert: (alertId: number) => Reply | null;
  /** A subject ("approval:12") as it stands now; null when it no longer exists or nobody renders it. */
  renderSubject?: (subject: string) => Reply | null;
  clock: () => Date;
  log: Logger;
}

async function deliverOne(env: DeliveryEnv, transport: Transport, item: OutboxItem): Promise<void> {
  const { db } = env;
  if (item.kind === 'message') {
    if (!item.payload) throw new Error(`outbox ${item.id} has no payload`);
    await transport.post(item.destination, item.payload, { queuedAt: item.createdAt });
    await afterSend(() => markDelivered(db, item.id, env.clock()));
    return;
  }
  if (item.kind === 'post' || item.kind === 'post_refresh') {
    await deliverSubject(env, transport, item);
    return;
  }
  const reply = item.alertId === null ? null : env.renderAlert(item.alertId);
  if (!reply || item.alertId === null) {
    markFailed(db, item.id, 'the alert no longer exists');
    return;
  }
  if (item.kind === 'alert') {
    const posted = await transport.post(item.destination, reply, { queuedAt: item.createdAt });
    const alertId = item.alertId;
    await afterSend(() =>
      db.transaction(() => {
        recordAlertMessage(db, { alertId, platform: item.platform, channel: posted.channel, ts: posted.ts });
        markDelivered(db, item.id, env.clock());
      })(),
    );
    return;
  }
  // A refresh updates every posted copy; a copy still queued will be posted with the new state anyway.
  if (hasPendingAlertPost(db, item.alertId, item.platform)) {
    markRetry(db, item.id, new Date(env.clock().getTime() + WAIT_FOR_POST_MS), 'waiting for the alert to be posted', false);
    return;
  }
  for (const m of alertMessages(db, item.alertId, item.platform)) await transport.update(m.channel, m.ts, reply);
  await afterSend(() => markDelivered(db, item.id, env.clock()));
}

/** A post about a subject, or its refresh: the same mechanism as an alert's, for any subject. */
async function deliverSubject(env: DeliveryEnv, transport: Transport, item: OutboxItem): Promise<void> {
  const { db } = env;
  const subject = item.subject;
  const reply = subject === null ? null : (env.renderSubject?.(subject) ?? null);
  if (!reply || subject === null) {
    markFailed(db, item.id, `nothing renders ${subject ?? 'a post without a subject'}`);
    return;
  }
  if (item.kind === 'post') {
    const posted = await transport.post(item.destination, reply, { queuedAt: item.createdAt });
    await afterSend(() =>
      db.transaction(() => {
        recordPostedMessage(db, { subject, platform: item.platform, channel: posted.channel, ts: posted.ts });
        markDelivered(db, item.id, env.clock());
      })(),
    );
    return;
  }
  if (hasPendingPost(db, subject, item.platform)) {
    markRetry(db, item.id, new Date(env.clock().getTime() + WAIT_FOR_POST_MS), 'waiting for the post to be posted', false);
    return;
  }
  for (const m of postedMessages(db, subject, item.platform)) await transport.update(m.channel, m.ts, reply);
  await afterSend(() => markDelivered(db, item.id, env.clock()));
}

/**
 * Delivers what is due, oldest first, one at a time. Each item is marked delivered as soon as its
 * platform accepts it, so a later run never sends it again; a failure is retried with backoff, a
 * rate limit after the platform's Retry-After, and an item that keeps failing is set aside as failed.
 */
export async function deliverDue(env: DeliveryEnv): Promise<number> {
  let delivered = 0;
  const limited = new Set<Platform>();
  for (const item of dueItems(env.db, [...env.transports.keys()], env.clock())) {
    const transport = env.transports.get(item.platform);
    if (!transport || limited.has(item.platform)) continue;
    try {
      await deliverOne(env, transport, item);
      delivered += 1;
    } catch (error) {
      // A locked database is nobody's failure: the item stays due and the loop stops until the next poll.
      if (isBusy(error)) throw error;
      const now = env.clock().getTime();
      if (error instanceof RateLimited) {
        limited.add(item.platform);
        markRetry(env.db, item.id, new Date(now + error.retryAfterSeconds * 1000), error.message, false);
        env.log.warn({ outbox: item.id, platform: item.platform, retryAfter: error.retryAfterSeconds }, 'rate limited; will retry');
      } else if (item.attempts + 1 >= MAX_ATTEMPTS) {
        markFailed(env.db, item.id, (error as Error).message);
        env.log.error({ err: error, outbox: item.id, platform: item.platform }, 'giving up on a message after repeated failures');
      } else {
        markRetry(env.db, item.id, new Date(now + backoffMs(item.attempts)), (error as Error).message, true);
        env.log.warn({ err: error, outbox: item.id, platform: item.platform }, 'delivery failed; will retry');
      }
    }
  }
  return delivered;
}
