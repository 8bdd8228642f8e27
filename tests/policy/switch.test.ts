import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot } from '../../src/app.js';
import type { Catalog } from '../../src/catalog/index.js';
import type { Platform } from '../../src/domain/actor.js';
import { eventsAfter } from '../../src/events/emit.js';
import { seedPolicy } from '../../src/policy/in-force.js';
import { announceDueVersions } from '../../src/policy/switch.js';
import type { Reply } from '../../src/reply/reply.js';
import { toText } from '../../src/reply/text.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';
import type { SwitchRaceStart } from './switch-race-worker.js';
import { addVersion, at, file, SEED, withRules } from './versions-helpers.js';

const TZ = 'America/New_York';
const T = at('2026-11-24T14:00:00Z');
const B = 'pricing_policy_v2026-11-22b';
const C = 'pricing_policy_v2026-11-22c';

const env = (db: Db, now: Date, platforms: readonly Platform[] = ['slack', 'discord'], catalog: Catalog = seedCatalog) => ({ db, catalog, timezone: TZ, platforms, now });
const messages = (db: Db) =>
  (db.prepare("SELECT platform, destination, payload FROM outbox WHERE kind = 'message' ORDER BY id").all() as { platform: string; destination: string; payload: string }[]).map((r) => ({
    platform: r.platform,
    destination: r.destination,
    reply: JSON.parse(r.payload) as Reply,
  }));
const announcedAt = (db: Db, id: string) => (db.prepare('SELECT announced_at FROM policy_versions WHERE id = ?').get(id) as { announced_at: string | null }).announced_at;

function scheduled(): Db {
  const db = openDatabase(':memory:');
  addVersion(db, { id: B, effectiveAt: T, reviewed: true });
  return db;
}

describe('announcing a version when it comes into force', () => {
  it('tells the sales channel on every platform with its diff and emits pricing.policy_changed, once, when its time comes', () => {
    const db = scheduled();
    expect(announceDueVersions(env(db, new Date(T.getTime() - 1)))).toEqual([]);
    expect(messages(db)).toEqual([]);
    expect(announceDueVersions(env(db, T))).toEqual([B]);
    expect(announceDueVersions(env(db, T))).toEqual([]);
    expect(announceDueVersions(env(db, at('2026-11-25T14:00:00Z')))).toEqual([]);
    expect(announcedAt(db, B)).toBe(T.toISOString());

    const sent = messages(db);
    // The fixture team names no sales channel: the ops channel on each platform hears it instead.
    expect(sent.map((m) => [m.platform, m.destination])).toEqual([['slack', 'C0OPS00001'], ['discord', '200000000000000001']]);
    const reply = sent[0]?.reply as Reply;
    expect(reply.visibility).toBe('channel');
    expect(reply.summary).toBe('Pricing policy 2026-11-22b is in force since 2026-11-24 09:00 EST: minor change by Pat Kim, 1 field changed.');
    const shown = toText(reply);
    expect(shown).toContain(`${B} (minor change) by Pat Kim, approved by Maria Lopez: in force since 2026-11-24 09:00 EST, replacing ${SEED}.`);
    expect(shown).toContain('Rationale: Medium-complexity win rate is 78%');
    expect(shown).toMatch(/base_markup\.medium\s+4 -> 4\.5/);

    expect(eventsAfter(db, 0)).toEqual([
      {
        id: 1,
        type: 'pricing.policy_changed',
        occurredAt: T,
        subject: B,
        data: {
          version: B, previous: SEED, kind: 'change', change_type: 'minor', effective_at: T.toISOString(), changed_by: 'Pat Kim', approved_by: 'Maria Lopez',
          rationale: expect.stringContaining('Medium-complexity') as unknown,
          changes: [{ path: 'base_markup.medium', before: 4, after: 4.5 }],
        },
      },
    ]);
  });

  it.each([
    ['no sales channel: the ops channels', seedCatalog, [['slack', 'C0OPS00001'], ['discord', '200000000000000001']]],
    [
      'a Slack sales channel: there on Slack, ops on Discord',
      { ...seedCatalog, team: { ...seedCatalog.team, channels: { ...seedCatalog.team.channels, slack: { ...seedCatalog.team.channels.slack, sales: 'C0SALES001' } } } },
      [['slack', 'C0SALES001'], ['discord', '200000000000000001']],
    ],
  ] as const)('goes to the sales channel of each platform, else its ops channel: %s', (_name, catalog, where) => {
    const db = scheduled();
    announceDueVersions(env(db, T, ['slack', 'discord'], catalog));
    expect(messages(db).map((m) => [m.platform, m.destination])).toEqual(where);
  });

  it('never announces the seed, even one written without its announcement', () => {
    const db = openDatabase(':memory:');
    seedPolicy(db, file, at('2026-11-22T12:00:00Z'));
    expect(announceDueVersions(env(db, T))).toEqual([]);
    db.prepare('UPDATE policy_versions SET announced_at = NULL').run();
    expect(announceDueVersions(env(db, T))).toEqual([]);
    expect(messages(db)).toEqual([]);
    expect(eventsAfter(db, 0)).toEqual([]);
  });

  it('never announces what is not approved', () => {
    const db = openDatabase(':memory:');
    for (const [id, state] of [[B, 'proposed'], [C, 'rejected'], ['pricing_policy_v2026-11-22d', 'cancelled']] as const) addVersion(db, { id, state, effectiveAt: at('2026-11-22T13:00:00Z') });
    expect(announceDueVersions(env(db, T))).toEqual([]);
  });

  it('commits with the caller’s transaction, and not at all when it rolls back', () => {
    const db = scheduled();
    expect(() =>
      db.transaction(() => {
        announceDueVersions(env(db, T));
        throw new Error('the approval failed after announcing');
      })(),
    ).toThrow('the approval failed');
    expect([announcedAt(db, B), messages(db).length, eventsAfter(db, 0).length]).toEqual([null, 0, 0]);
    expect(db.transaction(() => announceDueVersions(env(db, T))).immediate()).toEqual([B]);
    expect([announcedAt(db, B), messages(db).length, eventsAfter(db, 0).length]).toEqual([T.toISOString(), 2, 1]);
  });

  it('after downtime, announces each version that came due, oldest first, each against the one in force before it', () => {
    const db = openDatabase(':memory:');
    addVersion(db, { id: B, effectiveAt: at('2026-11-23T14:00:00Z') });
    addVersion(db, { id: C, previous: SEED, changeType: 'major', rules: withRules({ base_markup: { medium: 4.5 }, price_floor_usd: 0.6 }), effectiveAt: at('2026-11-24T14:00:00Z') });
    expect(announceDueVersions(env(db, at('2026-11-25T14:00:00Z'), ['slack']))).toEqual([B, C]);
    const [first, second] = eventsAfter(db, 0);
    expect(first?.data).toMatchObject({ version: B, previous: SEED, changes: [{ path: 'base_markup.medium', before: 4, after: 4.5 }] });
    // C was proposed against the seed, but B came into force in between: the diff is against B.
    expect(second?.data).toMatchObject({ version: C, previous: B, changes: [{ path: 'price_floor_usd', before: 0.5, after: 0.6 }] });
    expect(messages(db).map((m) => m.reply.blocks[0])).toEqual([
      { type: 'header', text: 'Pricing policy 2026-11-22b was in force (now 2026-11-22c)' },
      { type: 'header', text: 'Pricing policy 2026-11-22c is in force' },
    ]);
  });
});

describe('the switch survives restarts and a second process', () => {
  it('a version that came due while the bot was down is announced by the first tick after it starts, and never again', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'j1msky-switch-')), 'ops.db');
    const db = openDatabase(path);
    addVersion(db, { id: B, effectiveAt: T });
    db.close();
    const run = async (now: Date) => {
      const bot = await startBot(testConfig({ PORT: '0', DATABASE_PATH: path, RISK_TICK_SECONDS: '3600' }), silentLog, { clock: () => now });
      await bot.risk.tick();
      // The clock's own posts (missed cadence slots) are messages too: count the announcements.
      const sent = bot.services.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'message' AND payload LIKE '%Pricing policy 2026-11-22b is in force%'").get() as { n: number };
      const when = announcedAt(bot.services.db, B);
      await bot.stop();
      return [when, sent.n];
    };
    expect(await run(new Date(T.getTime() - 60_000))).toEqual([null, 0]);
    // Down across the switch; started two hours after it.
    expect(await run(new Date(T.getTime() + 2 * 3_600_000))).toEqual([new Date(T.getTime() + 2 * 3_600_000).toISOString(), 1]);
    expect(await run(new Date(T.getTime() + 3 * 3_600_000))).toEqual([new Date(T.getTime() + 2 * 3_600_000).toISOString(), 1]);
  }, 60_000);

  describe('two processes on one database file', () => {
    let children: ChildProcess[] = [];
    afterEach(() => {
      for (const c of children) if (c.connected) c.kill();
      children = [];
    });
    const next = <M>(child: ChildProcess) =>
      new Promise<M>((resolve, reject) => {
        const exited = (code: number | null) => reject(new Error(`switch race worker exited with ${code}`));
        child.once('exit', exited);
        child.once('message', (m) => {
          child.off('exit', exited);
          resolve(m as M);
        });
      });

    it('each version is announced by exactly one of them, once', async () => {
      const ROUNDS = 20;
      const STEP_MS = 3_600_000;
      const path = join(mkdtempSync(join(tmpdir(), 'j1msky-switch-race-')), 'ops.db');
      const db = openDatabase(path);
      const ids = Array.from({ length: ROUNDS }, (_, i) => `pricing_policy_v2026-11-23${String.fromCharCode(97 + i)}`);
      ids.forEach((id, i) => addVersion(db, { id, rules: withRules({ base_markup: { medium: i % 2 ? 4 : 4.5 } }), effectiveAt: new Date(T.getTime() + i * STEP_MS) }));
      const worker = new URL('./switch-race-worker.ts', import.meta.url).pathname;
      children = [0, 1].map(() => fork(worker, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
      await Promise.all(children.map((c) => {
        const ready = next(c);
        c.send({ start: { path, start: T.toISOString(), stepMs: STEP_MS } satisfies SwitchRaceStart });
        return ready;
      }));
      const rounds: { announced?: string[]; error?: string }[][] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const results = children.map((c) => next<{ announced?: string[]; error?: string }>(c));
        for (const c of children) c.send({ go: round });
        rounds.push(await Promise.all(results));
      }
      for (const c of children) c.send({ stop: true });

      expect(rounds.flat().filter((r) => r.error)).toEqual([]);
      expect(rounds.map((r) => r.flatMap((x) => x.announced ?? []))).toEqual(ids.map((id) => [id]));
      expect(db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'message'").get()).toEqual({ n: ROUNDS * 2 });
      expect(eventsAfter(db, 0, 1000).map((e) => e.subject)).toEqual(ids);
      db.close();
    }, 60_000);
  });
});
