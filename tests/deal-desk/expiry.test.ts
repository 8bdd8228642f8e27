import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { expireQuotes } from '../../src/deal-desk/expiry.js';
import { EXPIRABLE, QUOTE_STATES } from '../../src/domain/quote-life.js';
import { getQuote } from '../../src/store/quotes.js';
import { renderApprovalSubject } from '../../src/deal-desk/approval-subject.js';
import { silentLog, testBed, testConfig } from '../helpers/context.js';
import { moveAlong, PATHS, PRICED, reachState } from '../helpers/quote-life.js';
import { seedCatalog } from '../helpers/seed.js';

const DAY = 86_400_000;
const t0 = new Date('2026-11-01T15:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);

describe('quote expiry', () => {
  it.each(QUOTE_STATES.map((s) => [s, EXPIRABLE.includes(s)] as const))('a quote left %s for 30 days expires: %s', async (state, expires) => {
    const b = testBed({ now: t0 });
    await b.run(PRICED[PATHS[state].priced]);
    reachState(b.db, 'Q-00001', state, t0);
    const history = b.count('quote_history');
    const env = { db: b.db, team: seedCatalog.team, expiryDays: 30, platforms: [] };
    // A second short of 30 days is not 30 days.
    expect(expireQuotes({ ...env, now: new Date(at(30).getTime() - 1000) })).toEqual([]);
    expect(expireQuotes({ ...env, now: at(30) })).toEqual(expires ? ['Q-00001'] : []);
    expect(getQuote(b.db, 'Q-00001')?.state).toBe(expires ? 'expired' : state);
    expect(b.count('quote_history')).toBe(history + (expires ? 1 : 0));
    if (expires) {
      const row = b.db.prepare("SELECT from_state, platform, user_id, user_name, person_id, role, note, detail FROM quote_history WHERE to_state = 'expired'").get();
      expect(row).toEqual({
        from_state: state,
        platform: 'console',
        user_id: 'j1msky-ops:expiry',
        user_name: 'j1msky-ops (expiry)',
        person_id: null,
        role: null,
        note: 'No move for 30 days (QUOTE_EXPIRY_DAYS).',
        detail: JSON.stringify({ event: 'expire', idle_since: t0.toISOString(), expiry_days: 30 }),
      });
    }
    // Idempotent: the next tick finds nothing more to do.
    expect(expireQuotes({ ...env, now: at(31) })).toEqual([]);
    expect(b.count('quote_history')).toBe(history + (expires ? 1 : 0));
  });

  it('counts from the last move, not from when the quote was asked', async () => {
    const b = testBed({ now: t0 });
    await b.run(PRICED.approved);
    moveAlong(b.db, 'Q-00001', [{ kind: 'send', conditionsConfirmed: false }], at(20));
    const env = { db: b.db, team: seedCatalog.team, expiryDays: 30, platforms: [] };
    expect(expireQuotes({ ...env, now: at(49) })).toEqual([]);
    expect(expireQuotes({ ...env, now: at(50) })).toEqual(['Q-00001']);
  });

  it('expires a backlog a bounded batch at a time, oldest first', async () => {
    const b = testBed({ now: t0 });
    for (let i = 0; i < 5; i += 1) {
      b.setNow(at(i));
      await b.run(PRICED.approved);
    }
    const env = { db: b.db, team: seedCatalog.team, expiryDays: 30, now: at(60), platforms: [] };
    expect(expireQuotes(env, 2)).toEqual(['Q-00001', 'Q-00002']);
    expect(expireQuotes(env, 2)).toEqual(['Q-00003', 'Q-00004']);
    expect(expireQuotes(env, 2)).toEqual(['Q-00005']);
    expect(expireQuotes(env, 2)).toEqual([]);
  });
});

describe('telling the owner', () => {
  const outbox = (b: ReturnType<typeof testBed>) =>
    b.db.prepare("SELECT platform, kind, destination, payload FROM outbox").all() as { platform: string; kind: string; destination: string; payload: string }[];

  it.each([
    ['on the platform they asked from, when it is on', ['console', 'slack'], 1],
    ['nobody, when that platform is off (the history still records it)', ['slack'], 0],
  ] as const)('tells %s', async (_, platforms, told) => {
    const b = testBed({ now: t0 });
    await b.run(PRICED.approved); // asked at the console by Alice
    expect(expireQuotes({ db: b.db, team: seedCatalog.team, expiryDays: 30, now: at(30), platforms })).toEqual(['Q-00001']);
    const rows = outbox(b);
    expect(rows).toHaveLength(told);
    if (told) {
      expect(rows[0]).toMatchObject({ platform: 'console', kind: 'message', destination: 'console' });
      const payload = JSON.parse(rows[0]?.payload ?? '{}') as { summary: string };
      expect(payload.summary).toBe("Q-00001 for Acme expired: approved with no move for 30 days");
    }
  });

  it('queues no notice when the move loses a race (someone moved the quote first)', async () => {
    const b = testBed({ now: t0 });
    await b.run(PRICED.approved);
    const env = { db: b.db, team: seedCatalog.team, expiryDays: 30, now: at(30), platforms: ['console'] as const };
    expect(expireQuotes(env)).toEqual(['Q-00001']);
    expect(expireQuotes(env)).toEqual([]);
    expect(outbox(b)).toHaveLength(1);
  });
});

describe('an expired quote that was waiting for the desk', () => {
  it('leaves the desk queue and the deadline check, and its request copies say no decision is needed', async () => {
    const b = testBed({ now: t0 });
    await b.run(PRICED.escalated, { platforms: ['slack'] });
    const request = b.db.prepare('SELECT id FROM approval_requests').get() as { id: number } | undefined;
    expect(request).toBeDefined();
    expect((await b.run('/desk')).summary).toMatch(/^Deal desk: 1 quote\(s\) waiting/);
    expect(expireQuotes({ db: b.db, team: seedCatalog.team, expiryDays: 30, now: at(30), platforms: [] })).toEqual(['Q-00001']);
    expect((await b.run('/desk')).summary).toBe('Deal desk: 0 quote(s) waiting for approval');
    const refresh = b.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'post_refresh' AND subject = ?").get(`approval:${request?.id}`) as { n: number };
    expect(refresh.n).toBe(1);
    const copy = renderApprovalSubject(b.db, seedCatalog.team, 'UTC', `approval:${request?.id}`);
    expect(copy?.summary).toBe('Q-00001: no decision needed, it is now expired');
    expect(copy?.blocks.some((blk) => blk.type === 'actions')).toBe(false);
  });
});

describe('quote expiry across a restart of the whole bot', () => {
  let bot: RunningBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it('expires on the first tick after a restart a quote whose time ran out while the bot was down', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'j1msky-expiry-')), 'ops.db');
    let now = t0;
    const start = async () => {
      bot = await startBot(testConfig({ PORT: '0', DATABASE_PATH: path, QUOTE_EXPIRY_DAYS: '10', RISK_TICK_SECONDS: '3600' }), silentLog, { clock: () => now });
      await bot.risk.tick();
      return bot;
    };
    const show = async (b: RunningBot) => (await (await fetch(`${b.url}/api/pricing/quotes/Q-00001`)).json()) as { state: string; history: { to: string; by: { name: string } }[] };

    const first = await start();
    const asked = await fetch(`${first.url}/api/pricing/quote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'k2p5', complexity: 'medium', segment: 'smb', estimated_input: 2000, estimated_output: 800 }),
    });
    expect(asked.status).toBe(200);
    now = at(9);
    await first.risk.tick();
    expect((await show(first)).state).toBe('approved');
    await first.stop();
    bot = undefined;

    now = at(12); // the Pi was off from day 9 to day 12
    const second = await start();
    const shown = await show(second);
    expect(shown.state).toBe('expired');
    expect(shown.history.map((h) => [h.to, h.by.name])).toEqual([
      ['approved', 'HTTP API'],
      ['expired', 'j1msky-ops (expiry)'],
    ]);
    await second.risk.tick();
    expect(second.services.db.prepare('SELECT COUNT(*) AS n FROM quote_history').get()).toEqual({ n: 2 });
  });
});
