import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../src/adapters/http/api.js';
import { startHttpServer } from '../../src/adapters/http/server.js';
import { importUsage } from '../../src/cli/usage-import.js';
import { dispatchCommand } from '../../src/core/dispatch.js';
import type { Actor } from '../../src/domain/actor.js';
import { toText } from '../../src/reply/text.js';
import { seedCatalog } from '../helpers/seed.js';
import { silentLog, testBed, testConfig } from '../helpers/context.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

const pat: Actor = { platform: 'slack', userId: 'U0PRICING1', name: 'Pat Kim', role: 'pricing_admin' };

/** The API over a fresh database, a $10 budget, New York days, and a clock the test moves. */
async function setup(now = new Date('2026-11-22T15:00:00Z')) {
  const bed = testBed({ now, config: testConfig({ DAILY_BUDGET_USD: '10' }) });
  let clock = now;
  const services = { registry: bed.registry, db: bed.db, config: bed.config, catalog: seedCatalog, log: silentLog, clock: () => clock, platforms: ['slack'] as const };
  const http = await startHttpServer({ host: '127.0.0.1', port: 0, api: createApi(services) });
  closers.push(http.close);
  const post = async (body: unknown) => {
    const res = await fetch(`${http.url}/api/usage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const get = async (path: string) => (await (await fetch(`${http.url}${path}`)).json()) as Record<string, unknown>;
  const setClock = (d: Date) => {
    clock = d;
    bed.setNow(d);
  };
  const budget = (text = '', actor?: Actor) => dispatchCommand(bed.registry, 'budget', { text }, bed.ctx({ platforms: ['slack'], now: clock, ...(actor ? { actor } : {}) }));
  const messages = () => bed.db.prepare("SELECT destination, payload FROM outbox WHERE kind = 'message' ORDER BY id").all() as { destination: string; payload: string }[];
  return { ...bed, url: http.url, post, get, setClock, budget, messages };
}

// opus at 100k in / 50k out costs $1.75; sonnet 100k/100k $1.80.
const opus = (task: string, extra = {}) => ({ task_id: task, model: 'opus', input_tokens: 100_000, output_tokens: 50_000, ...extra });

describe('POST /api/usage', () => {
  it('takes one event or an array, prices from the rate card, and never counts a resend twice', async () => {
    const s = await setup();
    expect((await s.post(opus('t1'))).body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await s.post([opus('t1'), opus('t2'), { task_id: 't3', model: 'custom-llm', input_tokens: 5, output_tokens: 5, cost_usd: 0.25 }])).body).toMatchObject({ accepted: 2, duplicates: 1 });
    expect((await s.post({ ...opus('t2'), event_id: 'e-2b' })).body).toMatchObject({ accepted: 1 });
    expect(await s.get('/api/orchestrator/status')).toEqual({
      budget_utilization_pct: 55, budget_alert_level: 'ok', pause_non_essential: false, model_policy: 'standard', daily_cost: 5.5, daily_budget: 10, night_mode: false,
    });
  });

  it('refuses a batch with a bad event, naming it, and writes nothing', async () => {
    const s = await setup();
    const bad = await s.post([opus('t1'), { task_id: 't2', model: 'gpt9', input_tokens: 1, output_tokens: 1 }]);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ index: 1, field: 'model', message: expect.stringContaining('not on the rate card') });
    expect((await s.post({ task_id: 'x', model: 'opus', input_tokens: -1, output_tokens: 0 })).body).toMatchObject({ field: 'input_tokens' });
    expect((await s.post({ task_id: 'x', model: 'opus', input_tokens: 1, output_tokens: 0, quote_id: 'Q-00404' })).body).toMatchObject({ field: 'quote_id' });
    expect(s.count('usage_events')).toBe(0);
  });
});

describe('POST /api/usage refuses type confusion instead of guessing', () => {
  const base = { task_id: 't1', model: 'opus', input_tokens: 100_000, output_tokens: 50_000 };
  it.each([
    [{ cost_usd: true }, 'cost_usd', 'you gave `true`'],
    [{ cost_usd: '0x10' }, 'cost_usd', 'you gave `"0x10"`'],
    [{ cost_usd: '3' }, 'cost_usd', 'sent as a JSON number'],
    [{ cost_usd: [] }, 'cost_usd', 'you gave `[]`'],
    [{ cost_usd: {} }, 'cost_usd', 'you gave `{}`'],
    [{ input_tokens: true }, 'input_tokens', 'you gave `true`'],
    [{ input_tokens: '' }, 'input_tokens', '`input_tokens` is missing'],
    [{ input_tokens: [] }, 'input_tokens', 'you gave `[]`'],
    [{ input_tokens: null }, 'input_tokens', '`input_tokens` is missing'],
    [{ input_tokens: '2k' }, 'input_tokens', 'sent as a JSON number'],
    [{ input_tokens: 1.5 }, 'input_tokens', 'must be a whole number'],
    [{ essential: 'maybe' }, 'essential', '`essential` must be true or false, sent as a JSON true or false; you gave `"maybe"`.'],
    [{ essential: 'false' }, 'essential', 'sent as a JSON true or false'],
    [{ essential: 0 }, 'essential', 'you gave `0`'],
    [{ at: '2026-11-22' }, 'at', 'ISO 8601 with a zone (e.g. 2026-11-21T14:30:00Z)'],
    [{ at: '2026-11-22T10:00:00' }, 'at', 'ISO 8601 with a zone'],
    [{ at: '2026-13-01T10:00:00Z' }, 'at', 'ISO 8601 with a zone'],
    [{ at: '2026-11-22T15:06:00Z' }, 'at', 'is in the future'],
    [{ at: '2027-01-01T00:00:00Z' }, 'at', 'is in the future'],
    [{ task_id: 'x'.repeat(121) }, 'task_id', '`task_id` is too long: at most 120 characters; you gave 121.'],
    [{ cost: 1 }, 'cost', 'Did you mean `cost_usd`?'],
  ])('refuses %j, naming %s, and writes nothing', async (over, field, message) => {
    const s = await setup();
    const res = await s.post({ ...base, ...over });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_input', index: 0, field });
    expect(String(res.body.message)).toContain(message);
    expect(s.count('usage_events')).toBe(0);
  });

  it('reads null and "" as "not given": a null cost is priced from the rate card, never stored as $0', async () => {
    const s = await setup();
    await s.post([
      { ...base, task_id: 'null-cost', cost_usd: null },
      { ...base, task_id: 'blank-cost', cost_usd: '' },
      { ...base, task_id: 'no-cost' },
      { ...base, task_id: 'zero-cost', cost_usd: 0 },
      { ...base, task_id: 'null-essential', essential: null, at: '2026-11-22T15:04:59Z' },
    ]);
    const rows = s.db.prepare('SELECT task_id, cost_micros, cost_source, essential FROM usage_events ORDER BY task_id').all();
    expect(rows).toEqual([
      { task_id: 'blank-cost', cost_micros: 1_750_000, cost_source: 'rate_card', essential: 1 },
      { task_id: 'no-cost', cost_micros: 1_750_000, cost_source: 'rate_card', essential: 1 },
      { task_id: 'null-cost', cost_micros: 1_750_000, cost_source: 'rate_card', essential: 1 },
      { task_id: 'null-essential', cost_micros: 1_750_000, cost_source: 'rate_card', essential: 1 },
      { task_id: 'zero-cost', cost_micros: 0, cost_source: 'reported', essential: 1 },
    ]);
  });

  it('reads a form post as text: numeric strings and true/false are fine there', async () => {
    const s = await setup();
    const res = await fetch(`${s.url}/api/usage`, {
      method: 'POST',
      body: new URLSearchParams({ task_id: 'f1', model: 'opus', input_tokens: '100,000', output_tokens: '50000', cost_usd: '0.25', essential: 'false' }),
    });
    expect(res.status).toBe(200);
    expect(s.db.prepare('SELECT input_tokens, cost_micros, essential FROM usage_events').get()).toEqual({ input_tokens: 100_000, cost_micros: 250_000, essential: 0 });
  });
});

describe('budget signals, once a day per level, days in the ops time zone', () => {
  it('signals warning, pause and critical once each, and again on the next New York day', async () => {
    const s = await setup(new Date('2026-11-22T15:00:00Z'));
    await s.post([opus('a'), opus('b'), opus('c'), opus('d')]); // $7.00: 70%
    expect(s.messages()).toEqual([]);
    await s.post(opus('e')); // $8.75: 87.5%
    expect(s.messages().map((m) => JSON.parse(m.payload).summary)).toEqual([
      "[Budget: warning] Today's AI spend $8.75 is 87.50% of the $10.00 daily budget | Next action: review spend by model with /budget",
    ]);
    await s.post({ ...opus('f'), cost_usd: 0.1 }); // $8.85: still warning, no second message
    expect(s.messages()).toHaveLength(1);
    await s.post({ ...opus('g'), cost_usd: 0.75 }); // $9.60: 96%, pause
    expect((await s.get('/api/orchestrator/status'))).toMatchObject({ pause_non_essential: true, model_policy: 'k2p5_only', budget_alert_level: 'warning' });
    await s.post({ ...opus('h'), cost_usd: 0.4 }); // $10.00: exactly 100%, critical
    const signals = s.messages().map((m) => [m.destination, JSON.parse(m.payload).summary.slice(0, 18)]);
    expect(signals).toEqual([
      ['C0OPS00001', '[Budget: warning] '], ['C0OPS00001', '[Budget: warning] '],
      ['C0OPS00001', '[Budget: critical]'], ['C0EXEC0001', '[Budget: critical]'], ['U0EXEC0001', '[Budget: critical]'],
    ]);

    // 04:59 UTC on the 23rd is still the 22nd in New York: the same day, no new signal.
    s.setClock(new Date('2026-11-23T04:59:00Z'));
    await s.post({ ...opus('i'), cost_usd: 1 });
    expect(s.messages()).toHaveLength(5);
    // 05:00 UTC is midnight in New York: a new day, a fresh budget, and fresh signals.
    s.setClock(new Date('2026-11-23T05:00:00Z'));
    expect(await s.get('/api/orchestrator/status')).toMatchObject({ daily_cost: 0, budget_alert_level: 'ok', pause_non_essential: false });
    await s.post([opus('j'), opus('k'), opus('l'), opus('m'), opus('n')]);
    expect(s.messages()).toHaveLength(6);
  });
});

describe('/budget', () => {
  it('shows spend, level, projection, a sparkline, the per-model table and the flags', async () => {
    const s = await setup(new Date('2026-11-22T17:00:00Z')); // noon in New York: half the day gone
    await dispatchCommand(s.registry, 'quote', { text: 'model=sonnet complexity=medium segment=mid_market input=100000 output=100000' }, s.ctx());
    await s.post([
      { ...opus('t1'), at: '2026-11-22T14:10:00Z', task_type: 'research' },
      { task_id: 't2', model: 'k2p5', input_tokens: 2000, output_tokens: 800, at: '2026-11-22T16:30:00Z', task_type: 'research' },
      { task_id: 't3', model: 'sonnet', input_tokens: 100_000, output_tokens: 100_000, quote_id: 'Q-00001', cost_usd: 2.2, at: '2026-11-22T16:40:00Z' },
      { task_id: 'old', model: 'k2p5', input_tokens: 1000, output_tokens: 1000, at: '2026-11-20T16:00:00Z', task_type: 'research' },
    ]);
    const reply = await s.budget();
    const data = reply.data as Record<string, unknown>;
    expect(data).toMatchObject({
      date: '2026-11-22', daily_cost: 3.9536, daily_budget: 10, budget_utilization_pct: 39.53, budget_alert_level: 'ok',
      projected_daily_cost: 7.9072, tasks_completed: 3,
      by_model: [
        { model: 'sonnet', cost: 2.2, tasks: 1, avg_cost_per_task: 2.2 },
        { model: 'opus', cost: 1.75, tasks: 1, avg_cost_per_task: 1.75 },
        { model: 'k2p5', cost: 0.0036, tasks: 1, avg_cost_per_task: 0.0036 },
      ],
    });
    expect((data.flags as { kind: string }[]).map((f) => f.kind).sort()).toEqual(['cost_spike', 'expensive_task', 'expensive_task', 'quote_drift']);
    const text = toText(reply);
    expect(text).toMatch(/By hour [▁▂▃▄▅▆▇█]{24}/);
    expect(text).toContain('Task t3 cost $2.20 against $1.80 quoted in Q-00001 (22.22% off)');
    expect(text).toContain('research tasks average $0.88 today, over 1.5x their 7-day baseline of $0.0036');
  });

  it('lets only a pricing admin set the budget, and records who', async () => {
    const s = await setup();
    expect((await s.budget('set 40')).error?.code).toBe('forbidden');
    expect((await s.budget('set 40', pat)).summary).toBe('Daily budget set to $40.00 by Pat Kim.');
    expect(await s.get('/api/orchestrator/status')).toMatchObject({ daily_budget: 40 });
    expect(s.db.prepare('SELECT set_by_name, amount_micros FROM budget_settings').all()).toEqual([{ set_by_name: 'Pat Kim', amount_micros: 40_000_000 }]);
  });

  it('shows seven days with /budget week', async () => {
    const s = await setup();
    await s.post({ ...opus('t1'), at: '2026-11-20T16:00:00Z' });
    const data = (await s.budget('week')).data as { days: { date: string; cost: number }[] };
    expect(data.days.map((d) => d.date)).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22']);
    expect(data.days[4]).toEqual({ date: '2026-11-20', cost: 1.75 });
  });
});

describe('GET /api/pricing/health', () => {
  it('reports healthy with nothing wrong, and names every issue when something is', async () => {
    const s = await setup();
    expect(await s.get('/api/pricing/health')).toEqual({
      health: {
        status: 'healthy', daily_cost: 0, daily_budget: 10, budget_utilization_pct: 0, tasks_completed: 0, avg_cost_per_task: 0, by_model: [],
        quote_error_rate_pct: 0, quote_input_errors_last_hour: 0, issues: [],
      },
    });
    await s.post([opus('a'), opus('b'), opus('c'), opus('d'), opus('e')]);
    for (let i = 0; i < 19; i++) await dispatchCommand(s.registry, 'quote', { text: 'k2p5 medium smb 2000 800' }, s.ctx());
    // A person's mistakes, on every surface: not outages (§56 measures quote generation).
    await dispatchCommand(s.registry, 'quote', { text: 'complexity=nope' }, s.ctx());
    await dispatchCommand(s.registry, 'quote', { fields: { complexity: 'low', segment: 'smb', input: '2000', output: 1 }, source: 'json' }, s.ctx());
    await fetch(`${s.url}/api/pricing/quote`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ complexity: 'low' }) });
    await dispatchCommand(s.registry, 'quote', { text: 'assign Q-00999' }, s.ctx()); // /quote assign is not quote generation
    const typos = (await s.get('/api/pricing/health')).health as Record<string, unknown>;
    expect(typos).toMatchObject({ quote_error_rate_pct: 0, quote_input_errors_last_hour: 3 });
    expect(typos.issues).not.toContainEqual(expect.stringContaining('/quote error rate'));

    // The system failing to price: a rate card that lost a model the registry was built with.
    const drifted = { ...seedCatalog, rateCard: { ...seedCatalog.rateCard, models: new Map() } };
    for (let i = 0; i < 2; i++) {
      expect((await dispatchCommand(s.registry, 'quote', { text: 'k2p5 medium smb 2000 800' }, s.ctx({ catalog: drifted }))).error?.code).toBe('internal');
    }
    const health = (await s.get('/api/pricing/health')).health as { status: string; issues: string[]; tasks_completed: number };
    expect(health.status).toBe('warning');
    expect(health.tasks_completed).toBe(5);
    expect(health.issues).toEqual([
      'Budget warning: 87.50% of the daily budget spent',
      'Task a cost $1.75 (over $0.50: review it)', 'Task b cost $1.75 (over $0.50: review it)', 'Task c cost $1.75 (over $0.50: review it)',
      'Task d cost $1.75 (over $0.50: review it)', 'Task e cost $1.75 (over $0.50: review it)',
      '/quote error rate 9.5% in the last hour (2 of 21), over 5%',
    ]);
  });
});

describe('usage import', () => {
  it('keeps good rows, reports bad ones by line number, and skips resends', async () => {
    const s = await setup();
    const dir = mkdtempSync(join(tmpdir(), 'j1msky-import-'));
    const jsonl = join(dir, 'usage.jsonl');
    writeFileSync(jsonl, [JSON.stringify(opus('t1')), 'not json', JSON.stringify({ task_id: 't2', model: 'gpt9', input_tokens: 1, output_tokens: 1 }), '', JSON.stringify(opus('t1')), JSON.stringify(opus('t3'))].join('\n'));
    const env = { db: s.db, catalog: seedCatalog, config: s.config, platforms: [] };
    const summary = await importUsage(env, jsonl, { format: 'jsonl', clock: () => new Date('2026-11-22T15:00:00Z') });
    expect(summary).toEqual({
      rows: 5, imported: 2, duplicates: 1,
      bad: [{ line: 2, message: expect.stringContaining('not JSON') }, { line: 3, message: expect.stringContaining('gpt9 is not on the rate card') }],
    });
    const csv = join(dir, 'usage.csv');
    writeFileSync(csv, 'task_id,model,input_tokens,output_tokens,cost_usd,essential\nc1,k2p5,1000,1000,,false\nc2,sonnet,lots,10,,\nc3,sonnet,10,10,0.75,true\n');
    expect(await importUsage(env, csv, { format: 'csv', clock: () => new Date('2026-11-22T15:00:00Z') })).toEqual({
      rows: 3, imported: 2, duplicates: 0, bad: [{ line: 3, message: 'input_tokens must be a whole number from 0 to 1000000000; you gave lots.' }],
    });
    expect(s.db.prepare("SELECT essential, cost_source FROM usage_events WHERE task_id = 'c1'").get()).toEqual({ essential: 0, cost_source: 'rate_card' });
  });
});
