import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Sqlite as Database } from '../../src/store/sqlite.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { startFakeDiscord } from '../helpers/fake-discord.js';
import { fixtureEnv } from '../helpers/seed.js';

// The CLI is run as a person runs it: a child process with only the environment it is given.
const root = new URL('../..', import.meta.url).pathname;
const SLACK = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: 'http://127.0.0.1:9/api/' };
const DISCORD = { DISCORD_TOKEN: 'discord-test-token', DISCORD_APP_ID: '777', DISCORD_API_URL: 'http://127.0.0.1:9/api' };

function cli(args: string[], env: Record<string, string> = {}, dir = mkdtempSync(join(tmpdir(), 'j1msky-cli-'))) {
  const base = { ...fixtureEnv, PATH: process.env.PATH ?? '', HOME: dir, OPS_TIMEZONE: 'America/New_York', DATABASE_PATH: join(dir, 'ops.db'), LOG_FILE: join(dir, 'ops.log') };
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', ...args], { cwd: root, env: { ...base, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, db: join(dir, 'ops.db') };
}

const queued = (db: string) => {
  const d = new Database(db, { readonly: true });
  const rows = d.prepare("SELECT platform || ':' || destination AS to_ FROM outbox WHERE kind = 'message' ORDER BY id").all() as { to_: string }[];
  const runs = d.prepare('SELECT job, status FROM schedule_runs').all();
  d.close();
  return { to: rows.map((r) => r.to_), runs };
};

describe('npm run cli: help and unknown commands', () => {
  it.each([
    [['help'], 0, 'stdout'],
    [['--help'], 0, 'stdout'],
    [['schedule', '--help'], 0, 'stdout'],
    [['bogus'], 1, 'stderr'],
    [['schedule', 'fly'], 1, 'stderr'],
  ] as const)('%j exits %i with the usage on %s', (args, code, stream) => {
    const r = cli([...args]);
    expect(r.code).toBe(code);
    expect(stream === 'stdout' ? r.out : r.err).toContain('usage: npm run cli -- <command>');
  }, 60_000);
});

describe('schedule run queues for the platforms the bot delivers to, and says where', () => {
  it.each([
    { setup: 'Slack only', env: SLACK, to: ['slack:C0OPS00001'], says: 'queued for slack (C0OPS00001)' },
    { setup: 'Discord only', env: DISCORD, to: ['discord:200000000000000001'], says: 'queued for discord (200000000000000001)' },
    { setup: 'Slack and Discord', env: { ...SLACK, ...DISCORD }, to: ['slack:C0OPS00001', 'discord:200000000000000001'], says: 'queued for slack (C0OPS00001), discord (200000000000000001)' },
    { setup: 'console only (no chat token)', env: {}, to: ['console:console'], says: 'queued for the console (printed when it next opens)' },
    { setup: 'Slack with CONSOLE=on', env: { ...SLACK, CONSOLE: 'on' }, to: ['slack:C0OPS00001', 'console:console'], says: 'queued for slack (C0OPS00001), the console' },
  ])('$setup', ({ env, to, says }) => {
    const r = cli(['schedule', 'run', 'midday-sweep'], env);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(says);
    expect(queued(r.db)).toEqual({ to, runs: [{ job: 'midday-sweep', status: 'posted' }] });
  }, 60_000);

  it('refuses, and claims nothing, when no platform would deliver it', () => {
    const r = cli(['schedule', 'run', 'midday-sweep'], { CONSOLE: 'off' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('not posted: no platform delivers messages');
    expect(queued(r.db)).toEqual({ to: [], runs: [] });
  }, 60_000);

  it.each([
    ['a time between slots', '2026-11-20T12:31', /2026-11-20 12:31 EST is not one of its slots .* nearest are 2026-11-20 12:30 EST \(--at 2026-11-20T17:30:00.000Z\) and 2026-11-23 12:30 EST/],
    ['a Saturday', '2026-11-21T12:30:00-05:00', /nearest are 2026-11-20 12:30 EST .* and 2026-11-23 12:30 EST/],
    ['not a time', 'yesterday', /--at must be an ISO time/],
    ['a slot still to come', '2099-01-01T12:30', /2099-01-01 12:30 EST slot is still to come/],
  ])('--at refuses %s', (_case, at, message) => {
    const r = cli(['schedule', 'run', 'midday-sweep', '--at', at], DISCORD);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(queued(r.db)).toEqual({ to: [], runs: [] });
  }, 60_000);

  it('--at takes a slot in OPS_TIMEZONE, with or without an offset, and posts it once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'j1msky-cli-'));
    const first = cli(['schedule', 'run', 'midday-sweep', '--at', '2026-11-20T12:30'], DISCORD, dir);
    expect(first.out).toContain('posted the 2026-11-20 12:30 EST slot');
    const again = cli(['schedule', 'run', 'midday-sweep', '--at', '2026-11-20T17:30:00Z'], DISCORD, dir);
    expect(again.code).toBe(1);
    expect(again.err).toContain('the 2026-11-20 12:30 EST slot was already run');
    expect(queued(first.db).to).toEqual(['discord:200000000000000001']);
  }, 60_000);
});

describe('usage import queues budget signals for the same platforms', () => {
  it.each([
    ['Discord only', DISCORD, 'queued for discord.'],
    ['console only', {}, 'queued for console.'],
    ['nothing delivers', { CONSOLE: 'off' }, 'not queued: no platform delivers messages'],
  ])('%s', (_setup, env, says) => {
    const dir = mkdtempSync(join(tmpdir(), 'j1msky-cli-'));
    const file = join(dir, 'usage.jsonl');
    writeFileSync(file, `${JSON.stringify({ task_id: 't1', model: 'k2p5', input_tokens: 10, output_tokens: 10 })}\n`);
    const r = cli(['usage', 'import', file], env, dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Imported 1 of 1 rows');
    expect(r.out).toContain(says);
  }, 60_000);
});

describe('a slot the CLI posted is delivered by the bot started on the same database', () => {
  let bot: RunningBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });
  // Grace 0: the bot's own clock posts nothing at start, so what arrives is what the CLI queued.
  const quiet = { SCHEDULE_GRACE_HOURS: '0', RISK_TICK_SECONDS: '3600', PORT: '0' };

  it('Discord only: discord.js posts it to the Discord ops channel', async () => {
    const discord = await startFakeDiscord();
    try {
      const env = { ...DISCORD, DISCORD_API_URL: discord.url };
      const r = cli(['schedule', 'run', 'midday-sweep', '--at', '2026-11-20T12:30'], env);
      expect(r.code).toBe(0);
      bot = await startBot(testConfig({ ...env, ...quiet, DATABASE_PATH: r.db }), silentLog, { skipDiscordLogin: true });
      await expect.poll(() => discord.calls.filter((c) => c.method === 'POST' && c.path === '/channels/200000000000000001/messages').length).toBe(1);
      const d = new Database(r.db, { readonly: true });
      await expect.poll(() => d.prepare("SELECT status FROM outbox WHERE kind = 'message'").all()).toEqual([{ status: 'delivered' }]);
      const payload = JSON.parse((d.prepare("SELECT payload FROM outbox WHERE kind = 'message'").get() as { payload: string }).payload) as { summary: string };
      d.close();
      const posted = discord.calls.find((c) => c.path === '/channels/200000000000000001/messages');
      expect(posted?.body.content).toBe(payload.summary);
      expect(JSON.stringify(posted?.body.embeds)).toContain('Midday');
    } finally {
      await bot?.stop();
      bot = undefined;
      await discord.close();
    }
  }, 60_000);

  it('console only: the console prints it when it next opens, saying it came while you were away', async () => {
    const r = cli(['schedule', 'run', 'midday-sweep', '--at', '2026-11-20T12:30']);
    expect(r.out).toContain('queued for the console');
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (c: Buffer) => (screen += c.toString('utf8')));
    bot = await startBot(testConfig({ ...quiet, DATABASE_PATH: r.db }), silentLog, { console: { input, output } });
    await expect.poll(() => screen).toMatch(/\(while you were away, 2026-11-2\d \d\d:\d\d ES?T\)\n/);
    const d = new Database(r.db, { readonly: true });
    const payload = JSON.parse((d.prepare("SELECT payload FROM outbox WHERE kind = 'message'").get() as { payload: string }).payload) as { summary: string };
    d.close();
    expect(screen).toContain(payload.summary);
    input.end();
  }, 60_000);
});
