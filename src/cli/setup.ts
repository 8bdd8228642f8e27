import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { DEFAULTS_DIR } from '../config.js';
import { parseTeam, teamFile } from '../catalog/team.js';
import { checkDiscord, checkSlack } from './setup-checks.js';

/** The answers the wizard asks for, by flag name; each can come from a flag, the environment or a prompt. */
const QUESTIONS = [
  { flag: 'slack-bot-token', env: 'SLACK_BOT_TOKEN', ask: 'Slack bot token (xoxb-..., blank to skip Slack)', secret: true },
  { flag: 'slack-app-token', env: 'SLACK_APP_TOKEN', ask: 'Slack app-level token for Socket Mode (xapp-..., blank for HTTP mode)', secret: true, needs: 'slack-bot-token' },
  { flag: 'slack-signing-secret', env: 'SLACK_SIGNING_SECRET', ask: 'Slack signing secret (HTTP mode)', secret: true, needs: 'slack-bot-token', unless: 'slack-app-token' },
  { flag: 'slack-ops-channel', team: ['slack', 'ops'], ask: 'Slack ops channel id (C0...)', needs: 'slack-bot-token' },
  { flag: 'slack-exec-channel', team: ['slack', 'exec'], ask: 'Slack exec channel id (blank: ops)', needs: 'slack-bot-token' },
  { flag: 'discord-token', env: 'DISCORD_TOKEN', ask: 'Discord bot token (blank to skip Discord)', secret: true },
  { flag: 'discord-app-id', env: 'DISCORD_APP_ID', ask: 'Discord application id', needs: 'discord-token' },
  { flag: 'discord-guild-id', env: 'DISCORD_GUILD_ID', ask: 'Discord server (guild) id', needs: 'discord-token' },
  { flag: 'discord-ops-channel', team: ['discord', 'ops'], ask: 'Discord ops channel id', needs: 'discord-token' },
  { flag: 'console-user', ask: `Who are you at this console? A team member id (blank: nobody; OS user ${osUser()})` },
] as const;
type Flag = (typeof QUESTIONS)[number]['flag'];
const ENV_ONLY = ['slack-api-url', 'discord-api-url'] as const;

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'console';
  }
}

export interface SetupOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  input: Readable;
  output: Writable;
  envFile: string;
  configDir: string;
}

function parseFlags(argv: string[]): { values: Partial<Record<Flag | (typeof ENV_ONLY)[number], string>>; yes: boolean; check: boolean; unknown: string[] } {
  const values: Record<string, string> = {};
  const unknown: string[] = [];
  let yes = false;
  let check = false;
  const known = new Set<string>([...QUESTIONS.map((q) => q.flag), ...ENV_ONLY]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--yes') yes = true;
    else if (arg === '--check') check = true;
    else if (arg.startsWith('--') && known.has(arg.slice(2).split('=')[0] ?? '')) {
      const [name = '', inline] = arg.slice(2).split(/=(.*)/s);
      values[name] = inline ?? argv[++i] ?? '';
    } else unknown.push(arg);
  }
  return { values, yes, check, unknown };
}

/** Sets KEY=value lines in a .env text, in place where the key is, appended where it is not; the rest is kept. */
export function setEnvKeys(text: string, keys: Record<string, string>): string {
  let out = text;
  for (const [key, value] of Object.entries(keys)) {
    const line = `${key}=${value}`;
    const re = new RegExp(`^${key}=.*$`, 'm');
    out = re.test(out) ? out.replace(re, line) : `${out}${out.endsWith('\n') || out === '' ? '' : '\n'}${line}\n`;
  }
  return out;
}

const readEnvFile = (path: string): Record<string, string> =>
  existsSync(path) ? Object.fromEntries([...readFileSync(path, 'utf8').matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1] ?? '', (m[2] ?? '').trim()])) : {};

/**
 * `npm run cli -- setup`: asks for the tokens, channels and who is at the console (or takes them from
 * flags and the environment), checks them against Slack and Discord, writes .env and
 * config/team.json, and ends with what is still missing. `--check` only checks; `--yes` never asks.
 */
export async function runSetup(o: SetupOptions): Promise<number> {
  const say = (s: string) => o.output.write(`${s}\n`);
  const flags = parseFlags(o.argv);
  if (flags.unknown.length) {
    say(`setup: unknown option ${flags.unknown.join(' ')}. Options: ${QUESTIONS.map((q) => `--${q.flag}`).join(', ')}, --yes, --check`);
    return 1;
  }
  const teamPath = join(o.configDir, 'team.json');
  const teamSource = existsSync(teamPath) ? teamPath : join(DEFAULTS_DIR, 'team.json');
  const team = JSON.parse(readFileSync(teamSource, 'utf8')) as { people: { id: string; console_user?: string }[]; channels: Record<string, Record<string, string>> };
  const fromFile = { ...readEnvFile(o.envFile), ...Object.fromEntries(Object.entries(o.env).filter((e): e is [string, string] => typeof e[1] === 'string')) };

  const answers: Partial<Record<Flag, string>> = {};
  const interactive = !flags.yes && !flags.check;
  const rl = interactive ? createInterface({ input: o.input, terminal: false }) : null;
  // Lines are read through the iterator, which buffers them: typed ahead or piped in, none is lost.
  const lines = rl?.[Symbol.asyncIterator]();
  const ask = async (prompt: string) => {
    o.output.write(`${prompt}: `);
    const next = await lines?.next();
    o.output.write('\n');
    return !next || next.done ? '' : String(next.value);
  };
  try {
    for (const q of QUESTIONS) {
      // The tracked defaults' channels are examples, not answers: only the team's own copy counts.
      const fromTeam = 'team' in q && teamSource === teamPath ? team.channels[q.team[0]]?.[q.team[1]] : undefined;
      const current = flags.values[q.flag] ?? ('env' in q ? fromFile[q.env] : fromTeam);
      if ('needs' in q && !answers[q.needs]) continue;
      if ('unless' in q && answers[q.unless]) continue;
      if (current !== undefined && current !== '') {
        answers[q.flag] = current;
        continue;
      }
      if (!rl) continue;
      const given = (await ask(q.ask)).trim();
      if (given) answers[q.flag] = given;
    }
  } finally {
    rl?.close();
  }

  const problems: string[] = [];
  const ok: string[] = [];
  const apiUrl = { slack: flags.values['slack-api-url'] ?? fromFile.SLACK_API_URL, discord: flags.values['discord-api-url'] ?? fromFile.DISCORD_API_URL };
  if (answers['slack-bot-token']) {
    if (!answers['slack-app-token'] && !answers['slack-signing-secret']) problems.push('Slack: give an app-level token (Socket Mode, no public URL) or a signing secret (HTTP mode)');
    if (!answers['slack-ops-channel']) problems.push('Slack: no ops channel: alerts and posts would have nowhere to go');
    const channels = Object.fromEntries(
      (['ops', 'exec'] as const).flatMap((p) => {
        const id = answers[`slack-${p}-channel`];
        return id ? [[p, id]] : [];
      }),
    );
    const r = await checkSlack({ botToken: answers['slack-bot-token'], apiUrl: apiUrl.slack, channels });
    ok.push(...r.ok);
    problems.push(...r.problems);
  }
  if (answers['discord-token']) {
    if (!answers['discord-app-id']) problems.push('Discord: the application id is missing (General Information in the developer portal)');
    if (!answers['discord-ops-channel']) problems.push('Discord: no ops channel');
    const channels: Record<string, string> = answers['discord-ops-channel'] ? { ops: answers['discord-ops-channel'] } : {};
    const r = await checkDiscord({ token: answers['discord-token'], guildId: answers['discord-guild-id'], apiUrl: apiUrl.discord, channels });
    ok.push(...r.ok);
    problems.push(...r.problems);
  }
  if (!answers['slack-bot-token'] && !answers['discord-token']) problems.push('No chat platform: the bot runs on the console only (give a Slack or Discord token to connect one)');
  const consolePerson = answers['console-user'] ? team.people.find((p) => p.id === answers['console-user']) : undefined;
  if (answers['console-user'] && !consolePerson) problems.push(`No team member \`${answers['console-user']}\` in ${teamSource}: the ids are ${team.people.map((p) => p.id).join(', ')}`);

  if (!flags.check) {
    const envKeys: Record<string, string> = {};
    for (const q of QUESTIONS) if ('env' in q && answers[q.flag]) envKeys[q.env] = answers[q.flag] ?? '';
    const before = existsSync(o.envFile) ? readFileSync(o.envFile, 'utf8') : existsSync('.env.example') ? readFileSync('.env.example', 'utf8') : '';
    writeFileSync(o.envFile, setEnvKeys(before, envKeys), { mode: 0o600 });
    // Starting from the defaults, a configured platform's example channels go: none is left to post to by mistake.
    if (teamSource !== teamPath) {
      if (answers['slack-bot-token']) team.channels.slack = {};
      if (answers['discord-token']) team.channels.discord = {};
    }
    for (const q of QUESTIONS) {
      if (!('team' in q) || !answers[q.flag]) continue;
      team.channels[q.team[0]] = { ...team.channels[q.team[0]], [q.team[1]]: answers[q.flag] ?? '' };
    }
    if (consolePerson) consolePerson.console_user = osUser();
    // Checked with the bot's own schema before it is written: setup never leaves a file the bot refuses.
    parseTeam(teamFile.parse(team));
    mkdirSync(dirname(teamPath), { recursive: true });
    writeFileSync(teamPath, `${JSON.stringify(team, null, 2)}\n`);
    ok.push(`Wrote ${o.envFile} (${Object.keys(envKeys).length ? Object.keys(envKeys).join(', ') : 'no keys changed'}) and ${teamPath}`);
  }
  for (const line of ok) say(`  ok  ${line}`);
  for (const line of problems) say(`  !!  ${line}`);
  say(problems.length ? `${problems.length} thing(s) to fix; run \`npm run cli -- setup --check\` again after.` : 'All set. Restart the bot: sudo systemctl restart j1msky-ops (or npm start).');
  return problems.length ? 1 : 0;
}
