import { describe, expect, it } from 'vitest';
import { schedules } from '../../schedules/index.js';
import { createApi } from '../../src/adapters/http/api.js';
import { startHttpServer } from '../../src/adapters/http/server.js';
import { evaluateRisk } from '../../src/alerts/engine.js';
import { alertEnv } from '../../src/alerts/env.js';
import { applyHelpEvent } from '../../src/community/help-queue.js';
import type { Plan } from '../../src/domain/community.js';
import { toText } from '../../src/reply/text.js';
import { resolveJobs, runSlot } from '../../src/scheduler/runner.js';
import { recordQuestion } from '../../src/store/community.js';
import { seedCatalog } from '../helpers/seed.js';
import { silentLog, testBed } from '../helpers/context.js';

const jobs = resolveJobs(schedules, seedCatalog);
const MARIA = { platform: 'discord' as const, userId: '100000000000000001', name: 'Maria Lopez', role: 'revenue_manager' as const };

/** Questions asked and answered in the ledger, as the Discord adapter records them. */
function seeded(now = new Date('2026-11-22T14:00:00Z')) {
  const bed = testBed({ now });
  let n = 0;
  const ask = (askedAt: Date, plan: Plan, answeredAfterMinutes: number | null) => {
    n += 1;
    const id = String(9000 + n);
    const env = alertEnv({ ...bed.ctx(), now: askedAt });
    applyHelpEvent(env, { kind: 'question', questionId: id, channelId: '200000000000000002', askerId: `55${n}`, askerName: `Asker ${n}`, plan, askedAt }, '300');
    if (answeredAfterMinutes !== null) {
      const at = new Date(askedAt.getTime() + answeredAfterMinutes * 60_000);
      applyHelpEvent({ ...env, now: at }, { kind: 'answer', questionId: id, answererId: '100000000000000001', answererName: 'Maria Lopez', answeredAt: at }, '300');
    }
  };
  return { ...bed, ask };
}

function post(db: ReturnType<typeof testBed>['db'], name: string, slot: Date) {
  const job = jobs.find((j) => j.def.name === name);
  if (!job) throw new Error(name);
  expect(runSlot({ db, catalog: seedCatalog, config: testBed().config, platforms: ['slack', 'discord'], log: silentLog }, job, slot, slot)).toBe('posted');
  const rows = db.prepare("SELECT platform, destination, payload FROM outbox WHERE kind = 'message' ORDER BY id").all() as { platform: string; destination: string; payload: string }[];
  const reply = JSON.parse(rows.at(-1)?.payload ?? '{}') as Parameters<typeof toText>[0] & { data: Record<string, unknown> };
  return { reply, text: toText(reply), destinations: rows.map((r) => `${r.platform}:${r.destination}`) };
}

describe('/community from the console', () => {
  it('lists open questions with their wait and level, longest wait first', async () => {
    const b = seeded();
    b.ask(new Date('2026-11-22T05:00:00Z'), 'pro', null); // 9h: warning
    b.ask(new Date('2026-11-22T13:30:00Z'), 'unknown', null); // 30m: ok
    b.ask(new Date('2026-11-22T10:00:00Z'), 'enterprise', 20); // answered
    const r = await b.run('community');
    expect(r.summary).toBe('2 open help question(s), 1 past their SLA');
    expect(r.data).toMatchObject({ open: [
      { id: 'CQ-00001', plan: 'pro', sla_hours: 8, waiting_minutes: 540, level: 'warning', link: 'https://discord.com/channels/300/200000000000000002/9001' },
      { id: 'CQ-00002', plan: 'unknown', sla_hours: 24, waiting_minutes: 30, level: 'ok' },
    ] });
    expect(toText(r)).toContain('9h 00m');
  });

  it('with an empty queue, says whether questions can arrive at all', async () => {
    const b = seeded();
    const r = await b.run('community');
    expect(r.summary).toBe('No open questions in the help channel.');
    expect(toText(r)).toContain('The help channel is watched only while the bot runs on Discord: set DISCORD_TOKEN and DISCORD_APP_ID.');
  });

  it('gives a month’s figures, and refuses a month that is not one', async () => {
    const b = seeded();
    b.ask(new Date('2026-11-02T15:00:00Z'), 'pro', 30);
    b.ask(new Date('2026-11-03T15:00:00Z'), 'starter', 600);
    b.ask(new Date('2026-11-04T15:00:00Z'), 'enterprise', 90);
    b.ask(new Date('2026-10-31T15:00:00Z'), 'pro', 5); // October
    const r = await b.run('community stats month=2026-11');
    expect(r.data).toEqual({ month: '2026-11', asked: 3, answered: 3, still_open: 0, closed_without_answer: 0, answered_within_sla: 2, median_minutes_to_first_answer: 90 });
    expect(r.summary).toBe('2026-11: 3 asked, 3 answered, median time to first answer 1h 30m');
    const bad = await b.run('community stats month=2026-13');
    expect(bad.error?.code).toBe('invalid_input');
    expect(bad.summary).toContain('`2026-13` is not a month');
  });

  it('closes a question only for a manager, once, and says what it did', async () => {
    const b = seeded();
    b.ask(new Date('2026-11-22T05:00:00Z'), 'pro', null);
    expect((await b.run('community close CQ-00001 reason=dup')).error?.code).toBe('forbidden');
    expect((await b.run('community close CQ-00001 reason="asked again in CQ-00002"', { actor: MARIA })).summary).toBe('CQ-00001 from Asker 1 closed: asked again in CQ-00002.');
    expect((await b.run('community close 1 reason=again', { actor: MARIA })).error?.code).toBe('conflict');
    expect((await b.run('community close CQ-00042 reason=x', { actor: MARIA })).error?.code).toBe('not_found');
    expect(b.count('community_questions')).toBe(1);
  });

  it('records a question once however often the gateway replays it', () => {
    const b = seeded();
    const q = { messageId: '9500', guildId: '300', channelId: '200000000000000002', askerId: '555', askerName: 'Ada', plan: 'pro' as const, askedAt: new Date('2026-11-22T10:00:00Z') };
    expect(recordQuestion(b.db, q, new Date())?.ref).toBe('CQ-00001');
    expect(recordQuestion(b.db, q, new Date())).toBeNull();
    expect(b.count('community_questions')).toBe(1);
  });
});

describe('community posts', () => {
  it('the weekly office-hours reminder goes to the community channel only, with what data/team.json says', () => {
    const b = seeded();
    b.ask(new Date('2026-11-25T05:00:00Z'), 'pro', null);
    const { reply, destinations } = post(b.db, 'community-office-hours', new Date('2026-11-26T15:00:00Z'));
    expect(destinations).toEqual(['discord:200000000000000003']); // Slack has no community channel in data/team.json
    expect(reply.summary).toBe('Office hours this week: Thursdays 16:00-17:00 New York time, live Q&A with the team in the #office-hours voice channel.');
    expect(reply.data).toEqual({ office_hours: seedCatalog.team.community?.officeHours, open_questions: 1 });
  });

  it('the monthly digest on the 1st reports the month just ended: asked, answered, median time to first answer', () => {
    const b = seeded();
    b.ask(new Date('2026-11-01T05:00:00Z'), 'pro', 60); // Nov 1 00:00 New York
    b.ask(new Date('2026-11-10T15:00:00Z'), 'starter', 180);
    b.ask(new Date('2026-11-20T15:00:00Z'), 'pro', 600); // past its 8h SLA
    b.ask(new Date('2026-11-30T20:00:00Z'), 'unknown', null);
    b.ask(new Date('2026-12-01T05:30:00Z'), 'pro', 5); // Dec 1 00:30 New York: next month
    const { reply, text, destinations } = post(b.db, 'community-digest', new Date('2026-12-01T15:00:00Z'));
    expect(destinations).toEqual(['discord:200000000000000003']);
    expect(reply.data).toEqual({ month: '2026-11', asked: 4, answered: 3, still_open: 1, closed_without_answer: 0, answered_within_sla: 2, median_minutes_to_first_answer: 180 });
    expect(text).toContain('Median time to first answer 3h 00m · 67% answered within the plan’s SLA');
  });

  it('the morning triage carries the help queue as §44’s digest', () => {
    const b = seeded(new Date('2026-11-23T14:00:00Z'));
    b.ask(new Date('2026-11-23T13:00:00Z'), 'starter', null);
    b.ask(new Date('2026-11-22T20:00:00Z'), 'pro', null);
    const { text } = post(b.db, 'morning-triage', new Date('2026-11-23T14:00:00Z'));
    expect(text).toContain('Community help queue 2 open: 1 within SLA, 0 past SLA, 1 past twice the SLA. /community lists them.');
  });
});

describe('help-queue alerts in the operating cadence', () => {
  it('an unacknowledged critical on a question blocks the closure gate, naming the question and the revenue manager; an answer lifts it', () => {
    const b = seeded(new Date('2026-11-23T22:30:00Z'));
    b.ask(new Date('2026-11-23T05:00:00Z'), 'pro', null); // 17.5h by 17:30 New York: critical
    const env = alertEnv({ ...b.ctx(), now: new Date('2026-11-23T22:30:00Z') });
    evaluateRisk(env); // straight from ok to critical: one alert, #2, no warning in between
    const failed = post(b.db, 'eod-closure', new Date('2026-11-23T22:30:00Z'));
    expect(failed.text).toContain('Critical alert #2 (CQ-00001 help question from Asker 1) has no acknowledgement: @Maria Lopez');
    const sweep = post(b.db, 'midday-sweep', new Date('2026-11-23T22:31:00Z'));
    expect(sweep.text).toMatch(/#2 +critical +CQ-00001 help question from Asker 1 +Maria Lopez/);

    applyHelpEvent(env, { kind: 'answer', questionId: '9001', answererId: '100000000000000001', answererName: 'Maria Lopez', answeredAt: env.now }, '300');
    const passed = post(b.db, 'eod-closure', new Date('2026-11-24T22:30:00Z'));
    expect(passed.text).toContain('Closure gate passed');
  });
});

describe('/api/community', () => {
  it('answers the open questions and a month’s figures as JSON', async () => {
    const b = seeded();
    b.ask(new Date('2026-11-22T05:00:00Z'), 'pro', null);
    const services = { registry: b.registry, db: b.db, config: b.config, catalog: seedCatalog, log: silentLog, clock: () => new Date('2026-11-22T14:00:00Z'), platforms: [] };
    const http = await startHttpServer({ host: '127.0.0.1', port: 0, api: createApi(services) });
    try {
      expect(await (await fetch(`${http.url}/api/community/questions`)).json()).toMatchObject({ open: [{ id: 'CQ-00001', level: 'warning', waiting_minutes: 540 }] });
      expect(await (await fetch(`${http.url}/api/community/stats?month=2026-11`)).json()).toMatchObject({ month: '2026-11', asked: 1, answered: 0, still_open: 1 });
      expect((await fetch(`${http.url}/api/community/stats?month=November`)).status).toBe(400);
    } finally {
      await http.close();
    }
  });
});
