import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { commandContext } from '../../src/core/services.js';
import { dispatchCommand } from '../../src/core/dispatch.js';
import { loadPolicyFile } from '../../src/catalog/pricing-policy.js';
import { POLICY_FILE_STATE, rulesDigest } from '../../src/policy/in-force.js';
import { getState } from '../../src/store/ops-state.js';
import { listVersions } from '../../src/store/policy-versions.js';
import { testConfig } from '../helpers/context.js';
import { fixturePaths } from '../helpers/seed.js';

let bot: RunningBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const original = JSON.parse(readFileSync(fixturePaths.pricingPolicyPath, 'utf8')) as Record<string, unknown> & { base_markup: Record<string, number> };
const dir = () => mkdtempSync(join(tmpdir(), 'j1msky-policy-file-'));

/** A bot on its own database and its own copy of the policy file, with the log kept for the test to read. */
function setup() {
  const d = dir();
  const policyPath = join(d, 'pricing-policy.json');
  const write = (over: Record<string, unknown>) => writeFileSync(policyPath, JSON.stringify({ ...original, ...over }, null, 2));
  write({});
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
  const config = testConfig({ PORT: '0', DATABASE_PATH: join(d, 'ops.db'), PRICING_POLICY_PATH: policyPath });
  const start = async () => {
    await bot?.stop();
    lines.length = 0;
    bot = await startBot(config, log, { clock: () => new Date('2026-11-23T14:00:00Z') });
    return bot;
  };
  const logged = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; problems?: unknown; version?: string });
  return { write, start, logged, policyPath };
}

const db = () => {
  if (!bot) throw new Error('no bot');
  return bot.services.db;
};
const versions = () => listVersions(db()).map((v) => [v.id, v.kind, v.state, v.changeType, v.changedBy]);
/** What the bot queued about the policy (the clock's own posts aside). */
const policyOutbox = () =>
  db().prepare("SELECT platform, kind, subject FROM outbox WHERE subject LIKE 'policy_%' OR payload LIKE '%pricing_policy_v%' ORDER BY id").all();
const shown = async () => {
  const services = bot?.services;
  if (!services) throw new Error('no bot');
  return (await dispatchCommand(services.registry, 'policy', { text: '' }, commandContext(services, { platform: 'console', userId: 'x', name: 'x', role: 'sales_rep' }, 'console'))).summary;
};

describe('the policy file changed at start: proposed for review, never applied', () => {
  it('an edit is proposed once by data/pricing-policy.json with the file’s rationale; the bot starts on the version in force; a restart proposes nothing more', async () => {
    const { write, start, logged, policyPath } = setup();
    await start();
    expect(versions()).toEqual([['pricing_policy_v2026-11-22a', 'seed', 'approved', 'major', 'Revenue Ops']]);

    write({ price_floor_usd: 0.6, rationale: 'Raise the floor for tiny tasks' });
    await start();
    expect(versions()).toEqual([
      ['pricing_policy_v2026-11-23a', 'change', 'proposed', 'major', 'data/pricing-policy.json'],
      ['pricing_policy_v2026-11-22a', 'seed', 'approved', 'major', 'Revenue Ops'],
    ]);
    const proposal = listVersions(db())[0];
    expect(proposal).toMatchObject({ rationale: 'Raise the floor for tiny tasks', previous: 'pricing_policy_v2026-11-22a', proposedBy: { platform: null, userId: null, personId: null } });
    expect(proposal?.rules.price_floor_usd).toBe(0.6);
    expect(await shown()).toMatch(/^Pricing policy in force: pricing_policy_v2026-11-22a,/);
    expect(logged().find((l) => l.msg.startsWith('the policy file changed: proposed'))).toMatchObject({ level: 40, version: 'pricing_policy_v2026-11-23a' });
    // Its review is asked like any proposal's: a major change, of exec and ops, and announced to sales.
    expect(policyOutbox()).toEqual([
      { platform: 'console', kind: 'post', subject: 'policy_review:pricing_policy_v2026-11-23a' },
      { platform: 'console', kind: 'message', subject: null },
    ]);

    await start();
    expect(versions()).toHaveLength(2);
    // Once per file content: the file's digest was recorded with its proposal.
    expect(getState(db(), POLICY_FILE_STATE)).toBe(rulesDigest(loadPolicyFile(policyPath).rules));
  });

  it.each([
    ['breaks a guardrail', { price_floor_usd: 1.5 }, /price_floor_usd would be \$1\.50; it must stay within \$0\.25-\$1\.00/],
    ['moves a markup too far', { base_markup: { ...original.base_markup, medium: 5.5 } }, /base_markup\.medium moves by 1\.50x/],
    ['is not valid at all', { discount_approval: [] }, /discount_approval.*(too small|at least)/i],
    ['is not JSON', 'not json', /cannot be read as JSON/],
  ])('a file that %s is logged as an error with the reasons, not proposed, and the bot starts on the version in force', async (_case, over, reason) => {
    const { write, start, logged, policyPath } = setup();
    await start();
    if (typeof over === 'string') writeFileSync(policyPath, over);
    else write(over);
    await start();
    expect(versions()).toEqual([['pricing_policy_v2026-11-22a', 'seed', 'approved', 'major', 'Revenue Ops']]);
    expect(await shown()).toMatch(/^Pricing policy in force: pricing_policy_v2026-11-22a,/);
    const error = logged().find((l) => l.level === 50);
    expect(JSON.stringify(error?.problems)).toMatch(reason);
    expect(policyOutbox()).toEqual([]);
  });

  it('a new database cannot start without a valid policy file: it is the first version', async () => {
    const { write, start } = setup();
    write({ discount_approval: [] });
    await expect(start()).rejects.toThrow(/pricing-policy\.json is not valid/);
  });
});
