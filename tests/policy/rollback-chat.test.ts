import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { openDatabase } from '../../src/store/open.js';
import { getVersion } from '../../src/store/policy-versions.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { fixturePaths } from '../helpers/seed.js';
import { SIGNING_SECRET, buttonPressBody, postToSlackEndpoint } from '../helpers/slack-request.js';
import { CHANGE_ID, HOUR, after, backfiringChange } from './validation-fixture.js';

const SLACK = { sam: 'U0SALES001', maria: 'U0REVMGR01' };
const OPS = 'C0OPS00001';
const EXEC = 'C0EXEC0001';
const ROLLBACK_ID = 'pricing_policy_v2026-11-20b';

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let bot: RunningBot | undefined;
let now: Date;

/** A database holding a change that backfired (see validation-fixture.ts), ready for a bot to open. */
async function backfiredDb(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'j1msky-rollback-')), 'ops.db');
  const bed = await backfiringChange({ db: openDatabase(path) });
  bed.db.close();
  return path;
}

beforeEach(async () => {
  now = after(6 * HOUR);
  slack = await startFakeSlack();
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await slack.close();
});

const click = (b: RunningBot, action: string, value: string, user: string) =>
  postToSlackEndpoint(b.url, buttonPressBody({ action, value, user, channel: OPS, responseUrl: `${slack.url.replace(/\/api\/$/, '')}/respond/${user}` }));
const blocksText = (call: { body: Record<string, unknown> } | undefined) => JSON.stringify(call?.body.blocks ?? '');
const alertPosts = () => slack.callsTo('chat.postMessage').filter((c) => String(c.body.text).startsWith('Policy change backfiring'));
const respondedTo = (user: string) => slack.callsTo(`/respond/${user}`);

describe('rollback from the alert, end to end through Bolt', () => {
  it('posts each trigger to ops and exec with a Roll back button; refuses a sales rep; a revenue manager’s press rolls back once, updates every copy without the button, and tells the channel', async () => {
    const path = await backfiredDb();
    bot = await startBot(
      testConfig({ PORT: '0', DATABASE_PATH: path, RISK_TICK_SECONDS: '3600', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url }),
      silentLog,
      { clock: () => now },
    );
    const b = bot;
    await b.risk.tick();
    await expect.poll(() => alertPosts().length).toBe(4);
    expect(alertPosts().map((c) => c.body.channel).sort()).toEqual([EXEC, EXEC, OPS, OPS]);
    for (const post of alertPosts()) {
      expect(blocksText(post)).toContain('"action_id":"policy.rollback"');
      expect(blocksText(post)).toContain(`"value":"${CHANGE_ID}"`);
    }

    await click(b, 'policy.rollback', CHANGE_ID, SLACK.sam);
    await expect.poll(() => respondedTo(SLACK.sam).length).toBe(1);
    expect(respondedTo(SLACK.sam)[0]?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(respondedTo(SLACK.sam)[0]?.body.text)).toContain('only a revenue manager or an executive may roll it back (playbook §49), and you are listed as sales rep. Ask Maria Lopez, Eli Brooks.');
    expect(getVersion(b.services.db, CHANGE_ID)?.rolledBackAt).toBeNull();

    now = after(7 * HOUR);
    await Promise.all([click(b, 'policy.rollback', CHANGE_ID, SLACK.maria), click(b, 'policy.rollback', CHANGE_ID, SLACK.maria)]);
    await expect.poll(() => respondedTo(SLACK.maria).length).toBe(2);
    const answers = respondedTo(SLACK.maria).map((c) => String(c.body.text)).sort();
    expect(answers).toEqual([`Rolled back ${CHANGE_ID}: pricing_policy_v2026-11-22a's rules are in force again as ${ROLLBACK_ID}`, `${CHANGE_ID} was already rolled back by Maria Lopez at 2026-11-20 17:00 EST (${ROLLBACK_ID}).`]);
    expect(b.services.db.prepare("SELECT COUNT(*) AS n FROM policy_versions WHERE kind = 'rollback'").get()).toEqual({ n: 1 });

    await b.risk.tick();
    // Only this alert's copies: the desk's approval posts of the escalated quotes have their own updates.
    const alertUpdates = () => slack.callsTo('chat.update').filter((c) => blocksText(c).includes('Policy change backfiring'));
    await expect.poll(() => alertUpdates().length).toBe(4);
    expect(alertUpdates().map((c) => c.body.channel).sort()).toEqual([EXEC, EXEC, OPS, OPS]);
    for (const update of alertUpdates()) {
      expect(blocksText(update)).not.toContain('policy.rollback');
      expect(blocksText(update)).toContain('Rolled back by Maria Lopez at 2026-11-20 17:00 EST');
    }
    const hold = slack.callsTo('chat.postMessage').filter((c) => String(c.body.text).startsWith('Pricing on hold'));
    expect(hold.map((c) => c.body.channel)).toEqual([OPS]);
    expect(blocksText(hold[0])).toContain('Q-00007');
  });
});

describe('rollback at the console', () => {
  it('a revenue manager at the Pi’s console rolls back the version in force and is shown the re-issue list and the hold', async () => {
    const path = await backfiredDb();
    // The person at the console is Maria (data/team.json's console_user).
    const team = JSON.parse(readFileSync(fixturePaths.teamPath, 'utf8')) as { people: Record<string, unknown>[] };
    team.people = team.people.map((p) => (p.id === 'maria' ? { ...p, console_user: userInfo().username } : p));
    const teamPath = join(mkdtempSync(join(tmpdir(), 'j1msky-team-')), 'team.json');
    writeFileSync(teamPath, JSON.stringify(team));
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => {
      shown += chunk.toString();
    });
    now = after(7 * HOUR);
    bot = await startBot(testConfig({ PORT: '0', DATABASE_PATH: path, RISK_TICK_SECONDS: '3600', TEAM_PATH: teamPath }), silentLog, { clock: () => now, console: { input, output } });
    input.write('/policy rollback note="margins fell"\n');
    await expect.poll(() => shown).toContain(`== Rolled back ${CHANGE_ID} ==`);
    expect(shown).toMatch(/In force now\s+pricing_policy_v2026-11-20b \(rollback, the rules of pricing_policy_v2026-11-22a\)/);
    expect(shown).toMatch(/Rolled back by\s+Maria Lopez at 2026-11-20 17:00 EST/);
    expect(shown).toContain('Quotes to re-issue 5 open quotes priced under pricing_policy_v2026-11-20a');
    expect(shown).toMatch(/Q-00011\s+Acme5\s+Sam Patel\s+pending approval/);
    // The hold reaches the console, the only delivering surface here.
    await expect.poll(() => shown).toContain('== Pricing change on hold ==');
    input.write('/policy rollback\n');
    await expect.poll(() => shown).toContain(`${ROLLBACK_ID} itself restores an earlier version`);
  });
});
