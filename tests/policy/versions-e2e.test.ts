import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { openDatabase } from '../../src/store/open.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET, postToSlackEndpoint, slashCommandBody } from '../helpers/slack-request.js';
import { addVersion, at, SEED, withRules } from './versions-helpers.js';

const B = 'pricing_policy_v2026-11-22b';
const C = 'pricing_policy_v2026-11-22c';
const now = at('2026-11-22T15:00:00Z');
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/** A database with B in force (medium 4.5x) and C proposed (floor $0.60), as the change process leaves it. */
function database(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'j1msky-policy-e2e-')), 'ops.db');
  const db = openDatabase(path);
  addVersion(db, { id: B, effectiveAt: at('2026-11-22T14:00:00Z'), reviewed: true });
  addVersion(db, { id: C, previous: B, changeType: 'major', state: 'proposed', rules: withRules({ base_markup: { medium: 4.5 }, price_floor_usd: 0.6 }) });
  db.close();
  return path;
}

async function start(env: Record<string, string>, options: Parameters<typeof startBot>[2] = {}): Promise<RunningBot> {
  const bot = await startBot(testConfig({ PORT: '0', RISK_TICK_SECONDS: '3600', DATABASE_PATH: database(), ...env }), silentLog, { clock: () => now, ...options });
  stops.push(() => bot.stop());
  return bot;
}

describe('/policy, /policy history and /policy diff end to end', () => {
  it('through Bolt: signed slash commands answer with the version in force, the history and the diff', async () => {
    const slack = await startFakeSlack();
    stops.push(() => slack.close());
    const bot = await start({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url });
    const ask = async (text: string) => {
      const res = await postToSlackEndpoint(bot.url, slashCommandBody('/policy', text, { user_id: 'U0SALES001' }));
      expect(res.status).toBe(200);
      return JSON.stringify(await res.json());
    };
    const shown = await ask('');
    expect(shown).toContain('"type":"header"');
    expect(shown).toContain('Pricing policy in force: 2026-11-22b');
    expect(shown).toContain('medium 4.5x');
    expect(shown).toContain('2026-11-22c');
    expect(shown).toContain('awaiting review');

    const history = await ask('history');
    expect(history).toContain('Pricing policy history');
    expect(history.indexOf('2026-11-22c')).toBeLessThan(history.indexOf('2026-11-22a'));

    const diff = await ask('diff 2026-11-22b 2026-11-22c');
    expect(diff).toContain('price_floor_usd');
    expect(diff).toContain('0.5 -> 0.6');
    expect(await ask('diff 2026-13-01a')).toContain('There is no policy version');
  }, 60_000);

  it('through the console, typed as a person types them', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
    await start({}, { console: { input, output } });
    input.write('/policy\n');
    await expect.poll(() => screen).toContain('== Pricing policy in force: 2026-11-22b ==');
    expect(screen).toMatch(/2026-11-22c\s+major change\s+proposed 2026-11-22 08:00 EST, awaiting review/);
    input.write('/policy history limit=2\n');
    await expect.poll(() => screen).toContain('== Pricing policy history ==');
    expect(screen).toContain('Newest first, at most 2');
    input.write('/policy diff 2026-11-22c\n');
    await expect.poll(() => screen).toContain('== Policy diff: 2026-11-22b -> 2026-11-22c ==');
    expect(screen).toMatch(/price_floor_usd\s+0\.5 -> 0\.6/);
    input.end();
  }, 60_000);

  it('through the HTTP API: GET /api/pricing/policy, its history, a diff and one version as JSON', async () => {
    const bot = await start({});
    const get = async (path: string) => {
      const res = await fetch(`${bot.url}${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const policy = await get('/api/pricing/policy');
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ in_force: { id: B, previous: SEED, reviewed_by: 'Maria Lopez', rules: withRules({ base_markup: { medium: 4.5 } }) }, pending: [{ id: C, state: 'proposed' }] });

    const history = await get('/api/pricing/policy/history?limit=2');
    expect(history.status).toBe(200);
    expect((history.body.versions as { id: string }[]).map((v) => v.id)).toEqual([C, B]);

    expect(await get(`/api/pricing/policy/diff?a=${SEED}&b=2026-11-22c`)).toEqual({
      status: 200,
      body: { from: SEED, to: C, changes: [{ path: 'base_markup.medium', before: 4, after: 4.5 }, { path: 'price_floor_usd', before: 0.5, after: 0.6 }] },
    });
    expect((await get('/api/pricing/policy/versions/2026-11-22b')).body).toMatchObject({ version: { id: B }, changes: [{ path: 'base_markup.medium' }] });
    expect(await get('/api/pricing/policy/diff?a=2026-11-22z')).toMatchObject({ status: 404, body: { error: 'not_found', field: 'a' } });
    expect(await get('/api/pricing/policy/history?limit=500')).toMatchObject({ status: 400, body: { error: 'invalid_input', field: 'limit' } });
  }, 60_000);
});
