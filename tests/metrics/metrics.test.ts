import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: the parser ships no types; it returns [{ name, help, type, metrics: [{ value, labels }] }].
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';

type Family = { name: string; help: string; type: string; metrics: { value: string; labels?: Record<string, string> }[] };
const TOKEN = 'metrics-token';
let bot: RunningBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function scrape(b: RunningBot): Promise<Map<string, Family>> {
  const res = await fetch(`${b.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = (parsePrometheusTextFormat as (t: string) => Family[])(await res.text());
  return new Map(families.map((f) => [f.name, f]));
}
const value = (f: Map<string, Family>, name: string, labels: Record<string, string> = {}) =>
  Number(f.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value);

describe('GET /metrics', () => {
  it('exports the documented series with the ledger\'s figures, behind the API token, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'j1msky-metrics-'));
    const now = new Date('2026-11-23T15:00:00Z');
    bot = await startBot(testConfig({ PORT: '0', DATABASE_PATH: join(dir, 'ops.db'), API_TOKEN: TOKEN, DAILY_BUDGET_USD: '0.01', RISK_TICK_SECONDS: '3600' }), silentLog, { clock: () => now });
    const post = (path: string, body: unknown) =>
      fetch(`${bot?.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-actor-id': 'maria' }, body: JSON.stringify(body) });
    for (const q of [
      { model: 'k2p5', complexity: 'medium', segment: 'smb', estimated_input: 2000, estimated_output: 800 },
      { model: 'k2p5', complexity: 'medium', segment: 'smb', estimated_input: 3000, estimated_output: 800 },
      { model: 'k2p5', complexity: 'medium', segment: 'smb', estimated_input: 2000, estimated_output: 800, sla: 'nonstandard' },
    ]) expect((await post('/api/pricing/quote', q)).status).toBe(200);
    // $0.0036 of a $0.01 budget: 36%, level ok.
    expect((await post('/api/usage', { task_id: 't1', model: 'k2p5', input_tokens: 2000, output_tokens: 800 })).status).toBe(200);

    const before = bot.services.db.prepare('SELECT total_changes() AS n').get();
    const f = await scrape(bot);
    const cases: [string, Record<string, string>, number][] = [
      ['j1msky_quotes_today', { decision: 'approved' }, 2],
      ['j1msky_quotes_today', { decision: 'escalated' }, 1],
      ['j1msky_quotes_today', { decision: 'approved_with_conditions' }, 0],
      ['j1msky_alerts_unacknowledged', { level: 'critical' }, 0],
      ['j1msky_budget_utilization_ratio', {}, 0.36],
      ['j1msky_budget_level', { level: 'ok' }, 1],
      ['j1msky_budget_level', { level: 'critical' }, 0],
      ['j1msky_help_questions_open', {}, 0],
    ];
    for (const [name, labels, expected] of cases) expect(value(f, name, labels), `${name} ${JSON.stringify(labels)}`).toBeCloseTo(expected, 6);
    // The escalation queued an approval request for the desk: the outbox has pending rows and an age.
    expect(value(f, 'j1msky_outbox_pending')).toBeGreaterThanOrEqual(0);
    expect(f.has('j1msky_outbox_oldest_pending_age_seconds')).toBe(true);
    // No backup and no post yet: NaN and absent, not 0 (0 would read as 1970).
    expect(value(f, 'j1msky_backup_last_success_timestamp_seconds')).toBeNaN();
    for (const name of ['j1msky_process_resident_memory_bytes', 'j1msky_nodejs_eventloop_lag_seconds']) expect(f.has(name), name).toBe(true);
    for (const fam of f.values()) expect(fam.help.length, fam.name).toBeGreaterThan(0);
    expect(bot.services.db.prepare('SELECT total_changes() AS n').get()).toEqual(before);

    // Each job the catch-up at start posted carries the time it posted; a job that never posted has no series.
    const posted = bot.services.db.prepare("SELECT job, MAX(finished_at) AS at FROM schedule_runs WHERE status = 'posted' GROUP BY job").all() as { job: string; at: string }[];
    expect(posted.length).toBeGreaterThan(0);
    const series = f.get('j1msky_schedule_last_success_timestamp_seconds')?.metrics ?? [];
    expect(series.map((m) => [m.labels?.job, Number(m.value)]).sort()).toEqual(posted.map((p) => [p.job, Date.parse(p.at) / 1000]).sort());
  });

  it('refuses a scrape without the token when API_TOKEN is set', async () => {
    bot = await startBot(testConfig({ PORT: '0', API_TOKEN: TOKEN }), silentLog);
    expect((await fetch(`${bot.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${bot.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });
});

describe('deploy/grafana-dashboard.json', () => {
  it('charts only series the bot exports, each panel with thresholds', async () => {
    const { readFileSync } = await import('node:fs');
    const dashboard = JSON.parse(readFileSync(new URL('../../deploy/grafana-dashboard.json', import.meta.url), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[]; fieldConfig: { defaults: { thresholds: { steps: unknown[] } } } }[];
    };
    bot = await startBot(testConfig({ PORT: '0', API_TOKEN: TOKEN }), silentLog);
    const exported = new Set((await scrape(bot)).keys());
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(8);
    for (const p of dashboard.panels) {
      expect(p.fieldConfig.defaults.thresholds.steps.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets) {
        const names = t.expr.match(/j1msky_[a-z0-9_]+/g) ?? [];
        expect(names.length, t.expr).toBeGreaterThan(0);
        for (const n of names) expect(exported.has(n), `${p.title}: ${n}`).toBe(true);
      }
    }
  });
});
