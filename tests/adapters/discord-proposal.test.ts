import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { discordEnv, feedInteraction, interactionPayload, startFakeDiscord } from '../helpers/fake-discord.js';

const SAM = '100000000000000003'; // sales_rep in data/team.json
const ELI = '100000000000000002'; // executive
const OPS = '200000000000000001'; // the Discord server has no exec channel: executive requests go to ops
let discord: Awaited<ReturnType<typeof startFakeDiscord>>;
let bot: RunningBot;
const now = new Date('2026-11-22T15:00:00Z');

beforeEach(async () => {
  discord = await startFakeDiscord();
  bot = await startBot(testConfig({ PORT: '0', ...discordEnv(discord.url), RISK_TICK_SECONDS: '3600' }), silentLog, { clock: () => now, skipDiscordLogin: true });
  await bot.risk.idle();
});
afterEach(async () => {
  await bot.stop();
  await discord.close();
});

const feed = (payload: ReturnType<typeof interactionPayload>) => feedInteraction(bot, payload);
const callsFor = (token: string) => discord.calls.filter((c) => c.path.includes(token));
const str = (name: string, value: string) => ({ name, type: 3, value });

async function answer(payload: ReturnType<typeof interactionPayload>): Promise<string> {
  feed(payload);
  await expect.poll(() => callsFor(payload.token).length).toBe(2);
  return JSON.stringify(callsFor(payload.token)[1]?.body);
}

describe('Discord: /proposal and its executive review through the real discord.js client', () => {
  it('a rep builds a proposal; the request reaches the server with its buttons; only the executive decides, once', async () => {
    const built = await answer(interactionPayload('command', SAM, { name: 'proposal', options: [{ type: 1, name: 'run', options: [
      str('account', 'Initech'), str('segment', 'smb'), str('model', 'sonnet'), { name: 'input', type: 4, value: 100000 }, { name: 'output', type: 4, value: 100000 },
      str('base', 'low discount=15 owner=maria'), str('recommended', 'medium discount=40 owner=eli'), str('premium', 'high'),
    ] }] }));
    expect(built).toContain('Proposal P-00001 for Initech: 1 of 3 compliant, revise');
    await bot.risk.tick();
    // The options' own approval requests go to the same channel (no deal-desk channel on Discord): find the review.
    const posted = discord.calls.find((c) => c.method === 'POST' && c.path === `/channels/${OPS}/messages` && JSON.stringify(c.body.components).includes('proposal.approve'));
    for (const id of ['proposal.approve:P-00001', 'proposal.rework:P-00001', 'proposal.decline:P-00001']) expect(JSON.stringify(posted?.body.components)).toContain(`"custom_id":"${id}"`);

    expect(await answer(interactionPayload('button', SAM, { custom_id: 'proposal.decline:P-00001' }))).toContain('Only an executive may decide');
    // Approve opens a Discord modal asking for the memo (the form has two inputs, within Discord's five).
    const approve = interactionPayload('button', ELI, { custom_id: 'proposal.approve:P-00001' });
    feed(approve);
    await expect.poll(() => callsFor(approve.token).length).toBe(1);
    const modal = JSON.stringify(callsFor(approve.token)[0]?.body);
    expect(modal).toContain('"type":9');
    expect(modal).toContain('memo');
    expect(bot.services.db.prepare('SELECT exec_review FROM proposals').get()).toEqual({ exec_review: 'pending' });

    expect(await answer(interactionPayload('button', ELI, { custom_id: 'proposal.decline:P-00001' }))).toContain('declined (sustained margin risk) by Eli Brooks');
    expect(await answer(interactionPayload('button', ELI, { custom_id: 'proposal.rework:P-00001' }))).toContain('P-00001 was already declined');
    expect(bot.services.db.prepare('SELECT exec_review, exec_platform, exec_user_id FROM proposals').get()).toEqual({ exec_review: 'declined', exec_platform: 'discord', exec_user_id: ELI });
    // The request posted on the server is edited in place: the decision, who and when, and no buttons.
    await bot.risk.tick();
    const copy = bot.services.db.prepare("SELECT channel, message_ts AS ts FROM posted_messages WHERE subject = 'proposal_review:1' AND platform = 'discord'").get() as { channel: string; ts: string };
    expect(copy.channel).toBe(OPS);
    const edits = () => discord.calls.filter((c) => c.method === 'PATCH' && c.path === `/channels/${OPS}/messages/${copy.ts}`);
    await expect.poll(() => edits().length).toBe(1);
    const edited = edits()[0]?.body;
    expect(JSON.stringify(edited?.embeds)).toContain('declined (sustained margin risk) by Eli Brooks at 2026-11-22 10:00 EST');
    expect(edited?.components).toEqual([]);
    // The rep is told by direct message; the server gets no second message about it.
    await expect.poll(() => discord.calls.filter((c) => c.method === 'POST' && /^\/channels\/9\d+\/messages$/.test(c.path)).map((c) => c.body.content)).toEqual([
      'Your proposal P-00001 (Initech) was declined (sustained margin risk) by Eli Brooks',
    ]);
    expect(discord.calls.filter((c) => c.method === 'POST' && JSON.stringify(c.body).includes('declined (sustained margin risk) by Eli Brooks') && c.path === `/channels/${OPS}/messages`)).toEqual([]);
    // A late press, after the copy was updated, is still told who decided.
    expect(await answer(interactionPayload('button', ELI, { custom_id: 'proposal.approve:P-00001' }))).toContain('P-00001 was already declined');
  });
});
