import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sqlite as Database } from '../../src/store/sqlite.js';
import { describe, expect, it } from 'vitest';
import { schedules } from '../../schedules/index.js';
import { deliverDue, type Transport } from '../../src/outbox/deliver.js';
import { reply, text } from '../../src/reply/reply.js';
import { resolveJobs, startScheduler } from '../../src/scheduler/runner.js';
import { enqueue } from '../../src/store/outbox.js';
import { skipSlot } from '../../src/store/schedule-runs.js';
import { openDatabase } from '../../src/store/open.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';

function twoConnections() {
  const path = join(mkdtempSync(join(tmpdir(), 'j1msky-loops-')), 'ops.db');
  return { db: openDatabase(path), other: new Database(path) };
}

describe('the background loops under another process’s write lock', () => {
  it('marks a message delivered once the lock lets go, so a platform that accepted it never gets it twice', async () => {
    const { db, other } = twoConnections();
    const now = new Date('2026-11-23T15:00:00Z');
    enqueue(db, { platform: 'slack', kind: 'message', destination: 'C_OPS', payload: reply('hello', [text('hello')]), at: now });
    const posts: string[] = [];
    const transport: Transport = {
      platform: 'slack',
      post: async (destination) => {
        posts.push(destination);
        // The lock is taken just as the platform accepts the message, before it can be marked.
        other.exec('BEGIN IMMEDIATE');
        setTimeout(() => other.exec('COMMIT'), 400);
        return { channel: destination, ts: '1.0' };
      },
      update: async () => undefined,
    };
    const env = { db, transports: new Map([['slack' as const, transport]]), renderAlert: () => null, clock: () => now, log: silentLog };
    expect(await deliverDue(env)).toBe(1);
    expect(await deliverDue(env)).toBe(0);
    expect(posts).toEqual(['C_OPS']);
    expect(db.prepare('SELECT delivered_at IS NOT NULL AS done FROM outbox').get()).toEqual({ done: 1 });
    db.close();
    other.close();
  });

  it('the scheduler logs a locked database and posts on the next tick instead of throwing out of its timer', () => {
    const { db, other } = twoConnections();
    const config = testConfig();
    const jobs = resolveJobs(schedules, seedCatalog);
    const clock = () => new Date('2026-11-23T17:30:05Z'); // the midday sweep's slot, New York
    // Last run days ago (the Pi was off): the catch-up records the slots in between as skipped, a write.
    skipSlot(db, 'midday-sweep', new Date('2026-11-18T17:30:00Z'), new Date('2026-11-18T17:30:00Z'), 'test');
    other.exec('BEGIN IMMEDIATE');
    const postedJobs = () => db.prepare("SELECT job FROM schedule_runs WHERE status = 'posted'").pluck().all();
    const scheduler = startScheduler({ db, catalog: seedCatalog, config, platforms: ['slack'], log: silentLog }, jobs, clock, () => {});
    expect(db.prepare('SELECT COUNT(*) AS n FROM schedule_runs').get()).toEqual({ n: 1 });
    expect(postedJobs()).toEqual([]);
    other.exec('COMMIT');
    scheduler.tick();
    scheduler.stop();
    expect(db.prepare("SELECT job FROM schedule_runs WHERE status = 'posted'").pluck().all()).toContain('midday-sweep');
    db.close();
    other.close();
  });
});
