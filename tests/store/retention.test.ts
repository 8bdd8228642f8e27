import { describe, expect, it } from 'vitest';
import type { Platform } from '../../src/domain/actor.js';
import { deliverDue, type Transport } from '../../src/outbox/deliver.js';
import { reply, text } from '../../src/reply/reply.js';
import { acknowledgeAlert, raiseAlert } from '../../src/store/alerts.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { enqueue, markDelivered, markFailed, platformsWithAlert, refreshPosts } from '../../src/store/outbox.js';
import { claimRequestKey } from '../../src/store/request-keys.js';
import { PRUNE_BATCH, pruneHistory, RETENTION_DAYS } from '../../src/store/retention.js';
import { recordCommandFailure } from '../../src/store/usage.js';
import { startScheduler } from '../../src/scheduler/runner.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';

const DAY = 86_400_000;
const now = new Date('2026-11-22T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);
const count = (db: Db, sql: string) => (db.prepare(sql).get() as { n: number }).n;

/** An outbox row in a given state, queued `queued` days ago and (if delivered) delivered `delivered` days ago. */
function outboxRow(db: Db, status: 'pending' | 'delivered' | 'failed', queued: number, delivered = queued): number {
  const id = enqueue(db, { platform: 'slack', kind: 'message', destination: 'C1', payload: reply('hi', [text('hi')], 'channel'), at: daysAgo(queued) });
  if (status === 'delivered') markDelivered(db, id, daysAgo(delivered));
  if (status === 'failed') markFailed(db, id, 'down');
  return id;
}

describe('retention: what is pruned, what is kept', () => {
  // [what, status, queued days ago, delivered days ago, kept?]
  const outboxCases: [string, 'pending' | 'delivered' | 'failed', number, number, boolean][] = [
    ['a pending row, however old (a message still owed)', 'pending', 400, 400, true],
    ['a pending row held for the morning', 'pending', 0, 0, true],
    ['a delivered row inside its window', 'delivered', RETENTION_DAYS.deliveredOutbox - 1, RETENTION_DAYS.deliveredOutbox - 1, true],
    ['a delivered row queued long ago but delivered inside the window (counted from delivery)', 'delivered', 200, RETENTION_DAYS.deliveredOutbox - 1, true],
    ['a delivered row past its window', 'delivered', RETENTION_DAYS.deliveredOutbox + 1, RETENTION_DAYS.deliveredOutbox + 1, false],
    ['a failed row inside its (longer) window', 'failed', RETENTION_DAYS.failedOutbox - 1, 0, true],
    ['a failed row past its window', 'failed', RETENTION_DAYS.failedOutbox + 1, 0, false],
  ];
  it.each(outboxCases)('outbox: %s', (_what, status, queued, delivered, kept) => {
    const db = openDatabase(':memory:');
    const id = outboxRow(db, status, queued, delivered);
    pruneHistory(db, now);
    expect(count(db, `SELECT COUNT(*) AS n FROM outbox WHERE id = ${id}`)).toBe(kept ? 1 : 0);
  });

  const logCases: [string, (db: Db, at: Date) => void, string, number][] = [
    ['command failures', (db, at) => recordCommandFailure(db, 'quote', 'internal_error', at), 'command_failures', RETENTION_DAYS.commandFailures],
    ['idempotency keys', (db, at) => void claimRequestKey(db, `k-${at.getTime()}`, 'h', 'quote', at), 'request_keys', RETENTION_DAYS.requestKeys],
  ];
  it.each(logCases)('%s: kept inside the window, pruned past it', (_what, write, table, days) => {
    const db = openDatabase(':memory:');
    write(db, daysAgo(days + 1));
    write(db, daysAgo(days - 1));
    write(db, now);
    expect(pruneHistory(db, now)).toMatchObject({ [table === 'command_failures' ? 'commandFailures' : 'requestKeys']: 1 });
    expect(count(db, `SELECT COUNT(*) AS n FROM ${table}`)).toBe(2);
  });

  it('an idempotency key inside its retry window still refuses a different request with it', () => {
    const db = openDatabase(':memory:');
    claimRequestKey(db, 'retry-1', 'hash-a', 'quote', daysAgo(RETENTION_DAYS.requestKeys - 1));
    pruneHistory(db, now);
    expect(claimRequestKey(db, 'retry-1', 'hash-a', 'quote', now)).toBe('same');
    expect(claimRequestKey(db, 'retry-1', 'hash-b', 'quote', now)).toBe('conflict');
  });

  it('prunes in batches of PRUNE_BATCH, oldest first, so one tick never holds the write lock long', () => {
    const db = openDatabase(':memory:');
    const total = PRUNE_BATCH * 2 + 7;
    db.transaction(() => {
      for (let i = 0; i < total; i++) recordCommandFailure(db, 'quote', 'user_error', daysAgo(RETENTION_DAYS.commandFailures + 1 + (total - i) / 1000));
    })();
    const newest = count(db, 'SELECT MAX(id) AS n FROM command_failures');
    expect(pruneHistory(db, now).commandFailures).toBe(PRUNE_BATCH);
    // The oldest went first: the newest row is still there.
    expect(count(db, `SELECT COUNT(*) AS n FROM command_failures WHERE id = ${newest}`)).toBe(1);
    expect(pruneHistory(db, now).commandFailures).toBe(PRUNE_BATCH);
    expect(pruneHistory(db, now).commandFailures).toBe(7);
    expect(pruneHistory(db, now).commandFailures).toBe(0);
  });

  it('a posted copy stays refreshable after its outbox rows are pruned (alerts and subject posts)', async () => {
    const db = openDatabase(':memory:');
    let clock = daysAgo(RETENTION_DAYS.deliveredOutbox + 10);
    const calls: string[] = [];
    const slack: Transport = {
      platform: 'slack',
      post: async (destination, r) => {
        calls.push(`post ${destination} ${r.summary}`);
        return { channel: destination, ts: `m${calls.length}` };
      },
      update: async (channel, ts, r) => void calls.push(`update ${channel}/${ts} ${r.summary}`),
    };
    let state = 'open';
    const env = {
      db,
      transports: new Map([['slack', slack]]) as ReadonlyMap<Platform, Transport>,
      renderAlert: (id: number) => reply(`alert ${id} ${state}`, [text(state)], 'channel'),
      renderSubject: (s: string) => reply(`${s} ${state}`, [text(state)], 'channel'),
      clock: () => clock,
      log: silentLog,
    };
    const alert = raiseAlert(db, { scope: 'exception:1', exceptionSeq: null, level: 'critical', episode: 0, summary: 's', recommendedAction: 'a', raisedAt: clock, ackDeadline: null });
    if (!alert) throw new Error('alert not raised');
    enqueue(db, { platform: 'slack', kind: 'alert', destination: 'C1', alertId: alert.id, at: clock });
    enqueue(db, { platform: 'slack', kind: 'post', destination: 'C2', subject: 'approval:1', at: clock });
    await deliverDue(env);
    expect(calls).toEqual(['post C1 alert 1 open', 'post C2 approval:1 open']);

    clock = now;
    expect(pruneHistory(db, now).deliveredOutbox).toBe(2);
    expect(count(db, 'SELECT COUNT(*) AS n FROM outbox')).toBe(0);

    // Acknowledged and decided long after: the refreshes still find the copies.
    state = 'done';
    acknowledgeAlert(db, alert.id, { userId: 'U1', name: 'Mia', platform: 'slack' }, now);
    for (const platform of platformsWithAlert(db, alert.id)) enqueue(db, { platform, kind: 'alert_refresh', destination: '', alertId: alert.id, at: now });
    refreshPosts(db, 'approval:1', now);
    await deliverDue(env);
    expect(calls.slice(2)).toEqual(['update C1/m1 alert 1 done', 'update C2/m2 approval:1 done']);
  });

  it("runs on the clock's tick: starting the scheduler prunes what expired", () => {
    const db = openDatabase(':memory:');
    const old = outboxRow(db, 'delivered', RETENTION_DAYS.deliveredOutbox + 1);
    const pending = outboxRow(db, 'pending', RETENTION_DAYS.deliveredOutbox + 1);
    const scheduler = startScheduler({ db, catalog: seedCatalog, config: testConfig(), platforms: [], log: silentLog }, [], () => now, () => {});
    scheduler.stop();
    expect(db.prepare('SELECT id FROM outbox').all()).toEqual([{ id: pending }]);
    expect(old).not.toBe(pending);
  });
});
