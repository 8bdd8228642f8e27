import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { ConfigError, envSchema, loadConfig } from '../../src/config.js';
import { fixturePaths } from '../helpers/seed.js';

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
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-very-secret', SLACK_API_URL: 'not a url' });
    } catch (error) {
      expect((error as Error).message).not.toContain('xoxb-very-secret');
    }
  });
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
