import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sqlite as Database } from '../../src/store/sqlite.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET } from '../helpers/slack-request.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function start(env: Record<string, string>) {
  const path = join(mkdtempSync(join(tmpdir(), 'j1msky-healthz-')), 'ops.db');
  const bot = await startBot(testConfig({ PORT: '0', DATABASE_PATH: path, RISK_TICK_SECONDS: '3600', API_TOKEN: 'monitoring-has-no-token', ...env }), silentLog, { skipDiscordLogin: true });
  closers.push(bot.stop);
  return { bot, path };
}
async function healthz(bot: RunningBot) {
  const res = await fetch(`${bot.url}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, { ok: boolean; detail: string }> } };
}

describe('GET /healthz, without a token', () => {
  it('is 200 with each check when the database takes a write and the HTTP adapter is up', async () => {
    const { bot } = await start({});
    expect(await healthz(bot)).toEqual({
      status: 200,
      body: { status: 'ok', checks: { database: { ok: true, detail: 'writable' }, http: { ok: true, detail: 'up' } }, backup: { state: 'off' } },
    });
    // The token still guards the API itself.
    expect((await fetch(`${bot.url}/api/orchestrator/status`)).status).toBe(401);
  });

  it('is 503 naming the database while another connection holds the write lock, and 200 once it lets go', async () => {
    const { bot, path } = await start({});
    const other = new Database(path);
    closers.push(() => void other.close());
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const locked = await healthz(bot);
    expect(Date.now() - started).toBeLessThan(500);
    expect(locked).toMatchObject({ status: 503, body: { status: 'unavailable', checks: { database: { ok: false, detail: expect.stringContaining('busy') }, http: { ok: true } } } });
    other.exec('COMMIT');
    expect((await healthz(bot)).status).toBe(200);
  });

  it('is 503 naming Discord while its client is not connected, and 200 once it is ready', async () => {
    const { bot } = await start({ DISCORD_TOKEN: 'discord-test-token', DISCORD_APP_ID: '777', DISCORD_API_URL: 'http://127.0.0.1:9' });
    expect(await healthz(bot)).toMatchObject({ status: 503, body: { checks: { discord: { ok: false, detail: 'down' }, database: { ok: true } } } });
    const client = bot.discord?.client;
    if (!client) throw new Error('no discord client');
    vi.spyOn(client, 'isReady').mockReturnValue(true);
    expect(await healthz(bot)).toMatchObject({ status: 200, body: { checks: { discord: { ok: true } } } });
  });

  it('reports Slack in HTTP mode up once started, and down once stopped', async () => {
    const slack = await startFakeSlack();
    closers.push(slack.close);
    const { bot } = await start({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url });
    expect(await healthz(bot)).toMatchObject({ status: 200, body: { checks: { slack: { ok: true } } } });
    await bot.slack?.stop();
    expect(await healthz(bot)).toMatchObject({ status: 503, body: { checks: { slack: { ok: false } } } });
  });
});
