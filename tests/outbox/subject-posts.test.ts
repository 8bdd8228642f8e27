import { describe, expect, it } from 'vitest';
import type { Platform } from '../../src/domain/actor.js';
import { deliverDue, type Transport } from '../../src/outbox/deliver.js';
import { reply, text, type Reply } from '../../src/reply/reply.js';
import { openDatabase } from '../../src/store/open.js';
import { enqueue, refreshPosts } from '../../src/store/outbox.js';
import { silentLog } from '../helpers/context.js';

/** A transport that records what it was asked to do, and whose posts can be made to fail. */
function recorder(platform: Platform) {
  const calls: string[] = [];
  let n = 0;
  let failPosts = false;
  const transport: Transport = {
    platform,
    post: async (destination, r) => {
      if (failPosts) throw new Error('down');
      n += 1;
      calls.push(`post ${destination} ${r.summary}`);
      return { channel: destination, ts: `m${n}` };
    },
    update: async (channel, ts, r) => {
      calls.push(`update ${channel}/${ts} ${r.summary}`);
    },
  };
  return { transport, calls, failPosts: (v: boolean) => (failPosts = v) };
}

describe('posts about a subject, updated in place (the generalised alert mechanism)', () => {
  it('renders the subject at delivery, records each copy, refreshes every copy once its posts are out, and fails a subject nothing renders', async () => {
    const db = openDatabase(':memory:');
    let now = new Date('2026-11-23T15:00:00Z');
    let state = 'open';
    const renderSubject = (subject: string): Reply | null => (subject === 'approval:1' ? reply(`approval 1 ${state}`, [text(state)], 'channel') : null);
    const slack = recorder('slack');
    const env = { db, transports: new Map([['slack', slack.transport]]) as ReadonlyMap<Platform, Transport>, renderAlert: () => null, renderSubject, clock: () => now, log: silentLog };

    enqueue(db, { platform: 'slack', kind: 'post', destination: 'C1', subject: 'approval:1', at: now });
    enqueue(db, { platform: 'slack', kind: 'post', destination: 'U9', subject: 'approval:1', at: now });
    enqueue(db, { platform: 'slack', kind: 'post', destination: 'C1', subject: 'nobody:7', at: now });
    slack.failPosts(true);
    state = 'decided';
    refreshPosts(db, 'approval:1', now);
    await deliverDue(env);
    // The posts failed: the refresh waits for them rather than updating nothing and being marked done.
    expect(slack.calls).toEqual([]);
    expect(db.prepare("SELECT status, last_error FROM outbox WHERE kind = 'post_refresh'").get()).toEqual({ status: 'pending', last_error: 'waiting for the post to be posted' });
    expect(db.prepare("SELECT status FROM outbox WHERE subject = 'nobody:7'").get()).toEqual({ status: 'failed' });

    slack.failPosts(false);
    now = new Date(now.getTime() + 60_000);
    await deliverDue(env);
    await deliverDue(env);
    now = new Date(now.getTime() + 5_000);
    await deliverDue(env);
    // Posted late, each copy already shows the current state; the refresh then updates both copies once.
    expect(slack.calls).toEqual(['post C1 approval 1 decided', 'post U9 approval 1 decided', 'update C1/m1 approval 1 decided', 'update U9/m2 approval 1 decided']);
    expect(db.prepare('SELECT subject, platform, channel, message_ts FROM posted_messages ORDER BY channel').all()).toEqual([
      { subject: 'approval:1', platform: 'slack', channel: 'C1', message_ts: 'm1' },
      { subject: 'approval:1', platform: 'slack', channel: 'U9', message_ts: 'm2' },
    ]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'").get()).toEqual({ n: 0 });
  });
});
