import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { ConfigError, envSchema, loadConfig, settingsFile } from '../../src/config.js';
import { fixturePaths } from '../helpers/seed.js';

describe("settingsFile: the team's own copy, else the tracked default", () => {
  const dir = mkdtempSync(join(tmpdir(), 'settings-'));
  writeFileSync(join(dir, 'team.json'), '{}');
  it.each([
    ['an explicit path wins', 'elsewhere/team.json', 'team.json', 'elsewhere/team.json'],
    ['the copy in CONFIG_DIR when it exists', undefined, 'team.json', join(dir, 'team.json')],
    ['the tracked default when there is no copy', undefined, 'models.json', join('data', 'models.json')],
  ])('%s', (_, explicit, file, expected) => {
    expect(settingsFile(explicit, dir, file)).toBe(expected);
  });

  it('loadConfig reads every settings file through it; blank paths mean "use CONFIG_DIR"', () => {
    const config = loadConfig({ CONFIG_DIR: dir, TEAM_PATH: '', MODELS_PATH: ' ' });
    expect(config).toMatchObject({ configDir: dir, teamPath: join(dir, 'team.json'), modelsPath: 'data/models.json', schedulesPath: 'data/schedules.json', pricingPolicyPath: 'data/pricing-policy.json' });
  });
});

describe('loadConfig', () => {
  it('has sensible defaults with no variables: console, local API, no chat', () => {
    expect(loadConfig({})).toMatchObject({ port: 3000, host: '127.0.0.1', databasePath: 'data/ops.db', timezone: 'UTC', console: 'auto', slack: undefined });
  });

  it('picks Socket Mode when an app token is set and HTTP mode otherwise', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.mode).toBe('socket');
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack?.mode).toBe('http');
  });

  it('names every bad variable in one message', () => {
    const bad = () => loadConfig({ PORT: 'eighty', OPS_TIMEZONE: 'Mars/Olympus', LOG_LEVEL: 'loud' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/PORT[\s\S]*LOG_LEVEL[\s\S]*OPS_TIMEZONE: is not an IANA time zone/);
  });

  it('requires a signing secret for Slack over HTTP', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET: is required when SLACK_BOT_TOKEN is set/);
  });

  it('never echoes a secret in its message', () => {
    expect.assertions(2);
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-very-secret', SLACK_API_URL: 'not a url', API_TOKEN: 'tok\u00e9n-secret' });
    } catch (error) {
      expect((error as Error).message).not.toContain('xoxb-very-secret');
      expect((error as Error).message).not.toContain('tok\u00e9n-secret');
    }
  });

  it.each([
    'PORT', 'HOST', 'DATABASE_PATH', 'CONFIG_DIR', 'SCHEDULE_GRACE_HOURS',
    'DAILY_BUDGET_USD', 'ACK_TIMEOUT_MINUTES', 'RISK_TICK_SECONDS', 'LOG_LEVEL', 'LOG_FILE', 'OPS_TIMEZONE', 'CONSOLE',
  ])('refuses a blank %s, naming it, instead of reading it as 0 or nothing', (name) => {
    for (const blank of ['', '  ']) {
      expect(() => loadConfig({ [name]: blank })).toThrow(new RegExp(`  - ${name}: is blank: give a value, or remove the line to use the default \\(`));
    }
  });

  it.each([
    ['PORT', '0x50'], ['PORT', '1e3'], ['PORT', '80.5'], ['PORT', '70000'], ['DAILY_BUDGET_USD', '$25'], ['DAILY_BUDGET_USD', '-1'], ['RISK_TICK_SECONDS', 'Infinity'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`  - ${name}: `));
  });

  it('reads numbers written in digits, and uses defaults for what is left out', () => {
    expect(loadConfig({ PORT: '8080', DAILY_BUDGET_USD: '12.5' })).toMatchObject({ port: 8080, dailyBudgetUsd: 12.5, ackTimeoutMinutes: 30 });
  });

  it.each(['API_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_API_URL', 'DISCORD_TOKEN', 'DISCORD_API_URL'])('reads a blank optional %s as not set (a copied .env.example)', (name) => {
    expect(() => loadConfig({ [name]: '' })).not.toThrow();
  });

  it.each(['p@ss!word#1', 'a b c', '~`!@#$%^&*()_+-={}[]|\\:;"\'<>,.?/'])('accepts an API_TOKEN of printable ASCII: %s', (token) => {
    expect(loadConfig({ API_TOKEN: token }).apiToken).toBe(token);
  });

  it.each([['tab', 'ab\tcd'], ['accent', 'pässword'], ['emoji', 'key🔑'], ['newline', 'a\nb']])('refuses an API_TOKEN with a %s, saying which characters are allowed', (_what, token) => {
    expect(() => loadConfig({ API_TOKEN: token })).toThrow(/API_TOKEN: may only hold printable ASCII characters/);
  });

  it.each([
    ['127.0.0.1', true], ['127.1.2.3', true], ['localhost', true], ['::1', true],
    ['0.0.0.0', false], ['192.168.1.20', false], ['::', false], ['pi.local', false],
  ])('HOST=%s without API_TOKEN starts: %s', (host, starts) => {
    const load = () => loadConfig({ HOST: host });
    if (starts) expect(load).not.toThrow();
    else expect(load).toThrow(/API_TOKEN: is required when HOST \(.+\) is not a loopback address/);
    expect(loadConfig({ HOST: host, API_TOKEN: 't' }).host).toBe(host);
  });
});

describe('starting the bot (src/main.ts as a child process)', () => {
  const root = new URL('../..', import.meta.url).pathname;
  const start = (env: Record<string, string>) =>
    spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, DATABASE_PATH: ':memory:', CONSOLE: 'off', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it.each([
    [{ PORT: '' }, /PORT: is blank/],
    [{ DAILY_BUDGET_USD: '' }, /DAILY_BUDGET_USD: is blank/],
    [{ HOST: '0.0.0.0', PORT: '0' }, /API_TOKEN: is required when HOST \(0\.0\.0\.0\) is not a loopback address/],
  ])('refuses to start with %j, saying why', (env, message) => {
    const run = start(env);
    expect(run.status).toBe(1);
    expect(run.stderr + run.stdout).toMatch(message);
  }, 40_000);
});

describe('the data files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'j1msky-data-'));
  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const { pricingPolicyPath: policyPath, modelsPath, teamPath } = fixturePaths;

  it('stops on a bad rate card, naming the file, the model and the field', () => {
    const path = write('models.json', { default_model: 'k2p5', models: { k2p5: { name: 'Kimi', input_per_1k: 0.0006, output_per_1k: 0.003 }, sonnet: { name: 'S', input_per_1k: 'cheap', output_per_1k: 0.015 } } });
    expect(() => loadCatalog({ modelsPath: path, pricingPolicyPath: policyPath, teamPath })).toThrow(
      new RegExp(`${path} is not valid:\\n  - model "sonnet", field "input_per_1k"`),
    );
  });

  it('stops on a default model missing from the card', () => {
    const path = write('models2.json', { default_model: 'gpt', models: { k2p5: { name: 'Kimi', input_per_1k: 0.0006, output_per_1k: 0.003 } } });
    expect(() => loadCatalog({ modelsPath: path, pricingPolicyPath: policyPath, teamPath })).toThrow(/field "default_model": names a model that is not in "models"/);
  });

  it('stops on a file that is not JSON', () => {
    const path = write('models3.json', '{ "models": ');
    expect(() => loadCatalog({ modelsPath: path, pricingPolicyPath: policyPath, teamPath })).toThrow(/cannot be read as JSON/);
  });

  it('stops on a policy with a badly formed version id or bands that do not rise', () => {
    const policy = JSON.parse(JSON.stringify(loadRaw(policyPath))) as Record<string, unknown>;
    const path = write('policy.json', { ...policy, id: 'policy-2', discount_approval: [{ up_to_pct: 20, approver: 'sales_manager', condition: 'x' }, { up_to_pct: 10, approver: 'revenue_lead', condition: 'y' }, { up_to_pct: null, approver: 'executive', condition: 'z' }] });
    expect(() => loadCatalog({ modelsPath, pricingPolicyPath: path, teamPath })).toThrow(/field "id": must look like pricing_policy_v2026-11-22a[\s\S]*discount_approval.1.up_to_pct": bands must rise/);
  });

  it('stops on a community section with an unknown plan or a help channel that is not a Discord id, naming the field', () => {
    const team = loadRaw(teamPath) as { community: Record<string, unknown> };
    const path = write('team.json', { ...team, community: { ...team.community, help_channel: '#help', plan_roles: { '300000000000000011': 'gold' } } });
    expect(() => loadCatalog({ modelsPath, pricingPolicyPath: policyPath, teamPath: path })).toThrow(
      /field "community.help_channel": a Discord channel id is a long number[\s\S]*field "community.plan_roles.300000000000000011": Invalid option: expected one of "starter"\|"pro"\|"enterprise"/,
    );
  });

  it('stops on an approval authority that is not in the matrix, naming the person and listing the authorities', () => {
    const team = loadRaw(teamPath) as { people: Record<string, unknown>[] };
    const people = team.people.map((p) => (p.id === 'maria' ? { ...p, approves: ['deal_desk', 'cfo'] } : p));
    const path = write('team3.json', { ...team, people });
    expect(() => loadCatalog({ modelsPath, pricingPolicyPath: policyPath, teamPath: path })).toThrow(
      /person "maria", field "approves": approval authorities are: account_executive, sales_manager, deal_desk, revenue_lead, revops_legal, executive/,
    );
    expect(loadCatalog({ modelsPath, pricingPolicyPath: policyPath, teamPath }).team.people.find((p) => p.id === 'maria')?.approves).toEqual(['deal_desk', 'revenue_lead']);
  });

  it('leaves the help queue off when data/team.json has no community section', () => {
    const { community: _community, ...team } = loadRaw(teamPath) as { community: unknown };
    const path = write('team2.json', team);
    expect(loadCatalog({ modelsPath, pricingPolicyPath: policyPath, teamPath: path }).team.community).toBeUndefined();
  });

  it('lets the business add a model by editing the file', () => {
    const raw = loadRaw(modelsPath) as { models: Record<string, unknown> };
    const path = write('models4.json', { ...raw, models: { ...raw.models, haiku: { name: 'Claude Haiku', input_per_1k: 0.001, output_per_1k: 0.005 } } });
    expect([...loadCatalog({ modelsPath: path, pricingPolicyPath: policyPath, teamPath }).rateCard.models.keys()]).toContain('haiku');
  });
});

function loadRaw(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

describe('.env.example', () => {
  it('lists every variable the bot reads, and nothing it does not', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(Object.keys(envSchema.shape).sort());
  });
});
