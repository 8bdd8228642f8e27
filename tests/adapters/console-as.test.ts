import { userInfo } from 'node:os';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { switchConsoleActor } from '../../src/adapters/console/console.js';
import { startBot, type RunningBot } from '../../src/app.js';
import type { Actor } from '../../src/domain/actor.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';

const team = seedCatalog.team;
const os: Actor = { platform: 'console', userId: 'pi', name: 'pi', role: 'sales_rep' };

describe('/as at the console: act as a team member without editing JSON or restarting', () => {
  it.each([
    ['by id', 'maria', 'Maria Lopez', 'revenue_manager'],
    ['by name, any case', 'eli brooks', 'Eli Brooks', 'executive'],
    ['by Slack id', 'U0REVMGR01', 'Maria Lopez', 'revenue_manager'],
  ])('%s', (_, ref, name, role) => {
    const r = switchConsoleActor(team, os, ref);
    expect(r.actor).toEqual({ platform: 'console', userId: 'pi', name, role });
    expect(r.message).toContain(`You now act as ${name}`);
    expect(r.message).toContain('"console_user": "pi"');
  });

  it('refuses a name not in the team, listing who is, and changes nothing', () => {
    const r = switchConsoleActor(team, os, 'nobody');
    expect(r.actor).toBe(os);
    expect(r.message).toMatch(/^No team member `nobody`\. The team: .*maria \(Maria Lopez, revenue manager\)/);
  });

  it('with no name, says who you act as and how to make it permanent', () => {
    expect(switchConsoleActor(team, os, '').message).toMatch(/^You act as pi \(sales rep\)\. \/as NAME acts as another team member\. To make it permanent/);
  });
});

describe('the console, typed into', () => {
  let bot: RunningBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it('tells an unmapped OS user they act as a sales rep, then /as lets them set the budget as a pricing admin', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    bot = await startBot(testConfig({ PORT: '0' }), silentLog, { console: { input, output } });
    const type = async (line: string, expected: RegExp) => {
      input.write(`${line}\n`);
      await expect.poll(() => shown, { timeout: 5_000 }).toMatch(expected);
    };
    expect(shown).toContain(`You are the OS user ${userInfo().username}, not a member in ${bot.services.config.teamPath}, so you act as a sales rep.`);
    await type('/budget set 40', /only a pricing admin|pricing_admin|pricing admin/i);
    await type('/as pat', /You now act as Pat Kim \(pricing admin\)/);
    await type('/budget set 40', /\$40(\.00)?/);
    expect(bot.services.db.prepare('SELECT amount_micros, set_by_name FROM budget_settings ORDER BY id DESC LIMIT 1').get()).toEqual({ amount_micros: 40_000_000, set_by_name: 'Pat Kim' });
  });
});
