import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { dispatchCommand } from '../../src/core/dispatch.js';
import { commandContext } from '../../src/core/services.js';
import type { Actor } from '../../src/domain/actor.js';
import { silentLog, testConfig } from '../helpers/context.js';

let bot: RunningBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const pat: Actor = { platform: 'slack', userId: 'U0PRICING1', name: 'pat', role: 'pricing_admin' };
const eli: Actor = { platform: 'slack', userId: 'U0EXEC0001', name: 'eli', role: 'executive' };
const sam: Actor = { platform: 'slack', userId: 'U0SALES001', name: 'sam', role: 'sales_rep' };
const SEED = 'pricing_policy_v2026-11-22a';
const B = 'pricing_policy_v2026-11-22b';

describe('a major change across a restart of the whole bot (§48: no sooner than 48 hours after its announcement)', () => {
  it('approved at once, it is not in force at 47:59:59, before or after a restart, and is at 48:00 after one', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'j1msky-major-')), 'ops.db');
    let now = new Date('2026-11-22T14:00:00Z');
    const start = async () => {
      await bot?.stop();
      bot = await startBot(testConfig({ PORT: '0', DATABASE_PATH: path }), silentLog, { clock: () => now });
      await bot.risk.tick();
      return bot;
    };
    const run = async (line: string, actor: Actor) => {
      if (!bot) throw new Error('no bot');
      const [name = '', ...rest] = line.replace(/^\//, '').split(' ');
      return dispatchCommand(bot.services.registry, name, { text: rest.join(' ') }, commandContext(bot.services, actor, 'slash_command'));
    };
    const priced = async () => {
      const r = await run('/quote model=k2p5 complexity=medium segment=smb input=2000 output=800', sam);
      return (r.data as { policy_version: string }).policy_version;
    };

    await start();
    const proposed = await run('/policy propose changes="price_floor_usd=0.6, base_markup.medium=4.5" rationale=r drift=d expected=e expected_margin=up rollback_criteria=c', pat);
    expect(proposed.summary).toMatch(new RegExp(`^${B} proposed \\(major\\)`));
    now = new Date('2026-11-22T15:00:00Z');
    const approved = await run(`/policy approve ${B}`, eli);
    expect(approved.summary).toBe(`${B} approved by Eli Brooks at 2026-11-22 10:00 EST. It is in force from 2026-11-24 09:00 EST. The proposer is told.`);
    expect(await priced()).toBe(SEED);

    now = new Date('2026-11-24T13:59:59Z');
    await start();
    expect(await priced()).toBe(SEED);
    expect((await run('/policy', sam)).summary).toMatch(new RegExp(`^Pricing policy in force: ${SEED},`));

    now = new Date('2026-11-24T14:00:00Z');
    await start();
    expect(await priced()).toBe(B);
    expect((await run('/policy', sam)).summary).toMatch(new RegExp(`^Pricing policy in force: ${B},`));
    // Quotes keep the version they were priced under.
    const rows = bot?.services.db.prepare('SELECT policy_version, final_markup FROM quotes ORDER BY seq').all();
    expect(rows).toEqual([
      { policy_version: SEED, final_markup: '3.5' },
      { policy_version: SEED, final_markup: '3.5' },
      { policy_version: B, final_markup: '4' },
    ]);
  });
});
