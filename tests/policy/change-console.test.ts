import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { dispatchCommand } from '../../src/core/dispatch.js';
import { commandContext } from '../../src/core/services.js';
import { getVersion } from '../../src/store/policy-versions.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { fixturePaths } from '../helpers/seed.js';

let bot: RunningBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const B = 'pricing_policy_v2026-11-22b';

describe('the console: a pricing admin proposes at the Pi, a revenue manager approves in Slack', () => {
  it('the proposal is answered, its review printed with what to type, the proposer’s own approval refused, the decision printed', async () => {
    // Pat uses the bot from the Pi's own console, as the OS user running this test.
    const dir = mkdtempSync(join(tmpdir(), 'j1msky-policy-console-'));
    const team = JSON.parse(readFileSync(fixturePaths.teamPath, 'utf8')) as { people: { id: string; console_user?: string }[] };
    for (const p of team.people) if (p.id === 'pat') p.console_user = userInfo().username;
    writeFileSync(join(dir, 'team.json'), JSON.stringify(team));
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (d: Buffer) => (screen += d.toString()));
    bot = await startBot(testConfig({ PORT: '0', DATABASE_PATH: join(dir, 'ops.db'), TEAM_PATH: join(dir, 'team.json') }), silentLog, {
      clock: () => new Date('2026-11-22T14:00:00Z'),
      console: { input, output },
    });
    const type = (line: string) => input.write(`${line}\n`);

    type('/policy propose changes="base_markup.medium=4.5" rationale="Medium underpriced" drift="medium margin low" expected="margin back" expected_margin=up rollback_criteria="win rate under 30%"');
    await expect.poll(() => screen).toContain(`${B} proposed (minor). Sent for review`);
    // With no chat platform, the review request reaches the console, its buttons as what to type.
    await expect.poll(() => screen).toContain(`[Approve: type /policy approve ${B}] [Reject: type /policy reject ${B} note="why"]`);
    expect(screen).toMatch(/base_markup\.medium\s+4\s+4\.5/);

    type(`/policy approve ${B}`);
    await expect.poll(() => screen).toContain(`You may not review ${B}: a minor change is reviewed by a revenue manager or an executive (§48); you are a pricing admin.`);
    expect(getVersion(bot.services.db, B)?.state).toBe('proposed');

    const maria = { platform: 'slack' as const, userId: 'U0REVMGR01', name: 'maria', role: 'revenue_manager' as const };
    const r = await dispatchCommand(bot.services.registry, 'policy', { text: `approve ${B}` }, commandContext(bot.services, maria, 'slash_command'));
    expect(r.error).toBeUndefined();
    // Pat is told where they asked from, and the printed request is updated without its buttons.
    await expect.poll(() => screen).toContain(`Your pricing policy change ${B} was approved by Maria Lopez at 2026-11-22 09:00 EST.`);
    await expect.poll(() => screen).toMatch(/\(update to message \d+\)\n== Pricing policy change pricing_policy_v2026-11-22b \(minor\) ==/);
    expect(screen.slice(screen.lastIndexOf('(update to message'))).not.toContain('[Approve');
  });
});
