import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setEnvKeys } from '../../src/cli/setup.js';
import { startFakeDiscord } from '../helpers/fake-discord.js';
import { startFakeSlack } from '../helpers/fake-slack.js';

const root = new URL('../..', import.meta.url).pathname;

/** Runs `src/cli.ts setup ...` in `cwd` as a person would, typing `typed` line by line on stdin. */
function setup(cwd: string, args: string[], typed: string[] = [], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    // tsx by path: the wizard runs where an install's files are (cwd), which has no node_modules.
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href, join(root, 'src/cli.ts'), 'setup', ...args], {
      // Both APIs point at the local fakes, whatever is typed: nothing leaves 127.0.0.1.
      cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, CONFIG_DIR: join(cwd, 'config'), SLACK_API_URL: slack.url, DISCORD_API_URL: discord.url, ...env }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end(typed.map((l) => `${l}\n`).join(''));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let discord: Awaited<ReturnType<typeof startFakeDiscord>>;
let dir: string;
beforeEach(async () => {
  slack = await startFakeSlack();
  discord = await startFakeDiscord();
  dir = mkdtempSync(join(tmpdir(), 'j1msky-setup-'));
  // The wizard starts from the tracked defaults, read relative to where it runs (the install).
  for (const f of ['data']) spawn('cp', ['-r', join(root, f), join(dir, f)]);
  await new Promise((r) => setTimeout(r, 200));
  writeFileSync(join(dir, '.env.example'), readFileSync(join(root, '.env.example')));
});
afterEach(async () => {
  await slack.close();
  await discord.close();
});

describe('npm run cli -- setup', () => {
  it('asks, checks against Slack (the token, a post in each channel), writes .env and config/team.json, never echoing a secret', async () => {
    const r = await setup(dir, ['--slack-api-url', slack.url], ['xoxb-secret-1', 'xapp-secret-2', 'C0OPSNEW01', '', '', 'maria']);
    expect(r.out, r.out).toMatch(/ok {2}Slack: the token works/);
    expect(r.out).toMatch(/ok {2}Slack: the bot can post in the ops channel C0OPSNEW01/);
    expect(r.out).toMatch(/All set/);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('xoxb-secret-1');
    expect(r.out).not.toContain('xapp-secret-2');
    expect(slack.callsTo('auth.test')).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').map((c) => c.body.channel)).toEqual(['C0OPSNEW01']);
    const env = readFileSync(join(dir, '.env'), 'utf8');
    expect(env).toMatch(/^SLACK_BOT_TOKEN=xoxb-secret-1$/m);
    expect(env).toMatch(/^SLACK_APP_TOKEN=xapp-secret-2$/m);
    expect(env).toMatch(/^# Who is who/m); // the rest of .env.example kept
    const team = JSON.parse(readFileSync(join(dir, 'config', 'team.json'), 'utf8')) as { channels: { slack: { ops: string } }; people: { id: string; console_user?: string }[] };
    expect(team.channels.slack.ops).toBe('C0OPSNEW01');
    expect(team.people.find((p) => p.id === 'maria')?.console_user).toBe(userInfo().username);
  }, 60_000);

  it.each([
    ['a bad token', { 'auth.test': { ok: false, error: 'invalid_auth' } }, /!! {2}Slack: the bot token is not valid/],
    ['a channel the bot is not in', { 'chat.postMessage': { ok: false, error: 'not_in_channel' } }, /!! {2}Slack ops channel C0OPS00001: the bot is not in the channel: type \/invite/],
    ['a channel that does not exist', { 'chat.postMessage': { ok: false, error: 'channel_not_found' } }, /!! {2}Slack ops channel C0OPS00001: there is no such channel/],
  ])('--check --yes reports %s, with what to do, and exits 1', async (_, answers, message) => {
    slack.respondWith((call) => (answers[call.method as keyof typeof answers] ? { body: answers[call.method as keyof typeof answers] } : undefined));
    const r = await setup(dir, ['--check', '--yes', '--slack-api-url', slack.url, '--slack-bot-token', 'xoxb-1', '--slack-app-token', 'xapp-1', '--slack-ops-channel', 'C0OPS00001']);
    expect(r.out).toMatch(message);
    expect(r.code).toBe(1);
  }, 60_000);

  it('checks Discord: the token, the server and the ops channel, against the REST API', async () => {
    discord.route('GET', /^\/users\/@me$/, () => ({ id: '42', username: 'j1msky' }));
    discord.route('GET', /^\/guilds\/300$/, () => ({ id: '300', name: 'Acme' }));
    discord.route('GET', /^\/channels\/\d+$/, (path) => (path.endsWith('/200000000000000001') ? { id: '200000000000000001', name: 'ops', guild_id: '300' } : undefined));
    const args = ['--yes', '--discord-api-url', discord.url, '--discord-token', 'tok', '--discord-app-id', '777', '--discord-guild-id', '300', '--discord-ops-channel', '200000000000000001'];
    const r = await setup(dir, args);
    expect(r.out).toMatch(/ok {2}Discord: the token works \(bot j1msky\)/);
    expect(r.out).toMatch(/ok {2}Discord: the bot is in the server Acme/);
    expect(r.out).toMatch(/ok {2}Discord: the ops channel #ops exists/);
    expect(r.code, r.out).toBe(0);
    const missing = await setup(dir, ['--check', '--yes', '--discord-api-url', discord.url, '--discord-token', 'tok', '--discord-app-id', '777', '--discord-guild-id', '300', '--discord-ops-channel', '999999999999999999']);
    expect(missing.out).toMatch(/!! {2}Discord ops channel 999999999999999999: not found or not visible to the bot/);
    expect(missing.code).toBe(1);
  }, 60_000);

  it('says what is missing when nothing is given', async () => {
    const r = await setup(dir, ['--check', '--yes']);
    expect(r.out).toMatch(/No chat platform: the bot runs on the console only/);
    expect(r.code).toBe(1);
  }, 30_000);
});

describe('setEnvKeys', () => {
  it.each([
    ['replaces a key in place and keeps the rest', '# c\nA=1\nB=2\n', { A: 'x' }, '# c\nA=x\nB=2\n'],
    ['appends a missing key', 'A=1\n', { C: '3' }, 'A=1\nC=3\n'],
    ['adds a newline before appending', 'A=1', { C: '3' }, 'A=1\nC=3\n'],
    ['fills a blank key', 'SLACK_BOT_TOKEN=\n', { SLACK_BOT_TOKEN: 'xoxb' }, 'SLACK_BOT_TOKEN=xoxb\n'],
  ])('%s', (_, text, keys, expected) => expect(setEnvKeys(text, keys)).toBe(expected));
});
