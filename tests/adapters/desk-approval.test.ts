import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { interactionPayload, modalSubmitPayload, startFakeDiscord, feedInteraction } from '../helpers/fake-discord.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET, buttonPressBody, interactionBody, postToSlackEndpoint, slashCommandBody } from '../helpers/slack-request.js';

/** People in the fixture team (tests/fixtures/data/team.json). */
const SLACK = { sam: 'U0SALES001', maria: 'U0REVMGR01', eli: 'U0EXEC0001', pat: 'U0PRICING1' };
const DISCORD = { sam: '100000000000000003', maria: '100000000000000001', pat: '100000000000000004' };
const DESK_SLACK = 'C0DESK0001';
const OPS_DISCORD = '200000000000000001'; // Discord names no deal_desk channel: the ops channel takes the requests

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let discord: Awaited<ReturnType<typeof startFakeDiscord>>;
let bot: RunningBot | undefined;
let now: Date;
const dbPath = () => join(mkdtempSync(join(tmpdir(), 'j1msky-desk-')), 'ops.db');

async function start(path = dbPath()) {
  bot = await startBot(
    testConfig({
      PORT: '0', DATABASE_PATH: path, RISK_TICK_SECONDS: '3600',
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url,
      DISCORD_TOKEN: 'discord-test-token', DISCORD_APP_ID: '777', DISCORD_API_URL: discord.url,
    }),
    silentLog,
    { clock: () => now, skipDiscordLogin: true },
  );
  await bot.risk.idle();
  return bot;
}

beforeEach(async () => {
  now = new Date('2026-11-23T15:00:00Z'); // Monday 10:00 in New York
  slack = await startFakeSlack();
  discord = await startFakeDiscord();
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await slack.close();
  await discord.close();
});

/** 25% off: escalated, needing the revenue lead (Maria Lopez or Eli Brooks), 8 day hours. */
const DISCOUNT_QUOTE = 'sonnet medium mid_market 100000 100000 discount=25 account=Initech';
/** Below the task guardrail at 60% off: a margin violation (2 hours) and over 30% (executive). */
const MARGIN_QUOTE = 'opus high startup 100000 50000 discount=60 account=Globex';

const quoteOnSlack = (b: RunningBot, text: string, user = SLACK.sam) => postToSlackEndpoint(b.url, slashCommandBody('/quote', text, { user_id: user }));
const click = (b: RunningBot, action: string, value: string, user: string) =>
  postToSlackEndpoint(b.url, buttonPressBody({ action, value, user, channel: DESK_SLACK, responseUrl: `${slack.url.replace(/\/api\/$/, '')}/respond/${user}` }));
const submit = (b: RunningBot, callbackId: string, values: Record<string, string>, user: string) =>
  postToSlackEndpoint(
    b.url,
    interactionBody({
      type: 'view_submission', team: { id: 'T1', domain: 'j1msky' }, user: { id: user, name: user, team_id: 'T1' }, api_app_id: 'A1', trigger_id: `trigger-${Math.random()}`,
      view: {
        id: `V-${Math.random()}`, type: 'modal', callback_id: callbackId, private_metadata: JSON.stringify({ channelId: DESK_SLACK }), hash: 'h',
        state: { values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: { type: 'plain_text_input', value: v } }])) },
      },
    }),
  );
function feed(b: RunningBot, payload: ReturnType<typeof interactionPayload>) {
  feedInteraction(b, payload);
}
const discordCalls = (token: string) => discord.calls.filter((c) => c.path.includes(token));
const blocksText = (call: { body: Record<string, unknown> } | undefined) => JSON.stringify(call?.body.blocks ?? '');
const deskPosts = () => slack.callsTo('chat.postMessage').filter((c) => c.body.channel === DESK_SLACK);
// The ops channel also takes the scheduled posts the bot catches up on at start.
const discordDeskPosts = () =>
  discord.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${OPS_DISCORD}/messages` && String(c.body.content).startsWith('Approval needed'));
const discordEdits = () => discord.calls.filter((c) => c.method === 'PATCH' && c.path.startsWith('/channels/'));
const respondedTo = (user: string) => slack.callsTo(`/respond/${user}`);
const decisions = (b: RunningBot) => b.services.db.prepare('SELECT decision, decided_by_name, note FROM approval_requests').all();

describe('approval in chat, end to end through Bolt and discord.js', () => {
  it('posts the request to the desk on both platforms; refuses the asker and a non-holder, naming who can; a Slack modal note decides it once and both copies are updated in place; the rep is told', async () => {
    const b = await start();
    const asked = await quoteOnSlack(b, DISCOUNT_QUOTE);
    expect(JSON.stringify(await asked.json())).toContain('Waiting for revenue lead approval (Maria Lopez or Eli Brooks)');
    await b.risk.tick();

    expect(deskPosts()).toHaveLength(1);
    const slackPost = blocksText(deskPosts()[0]);
    for (const shown of ['Approval needed: Q-00001 · Initech', 'revenue lead', '<@U0REVMGR01>', '<@U0EXEC0001>', 'desk.approve', 'desk.exception', 'desk.changes', 'desk.decline', 'Discount 25% is over 20%']) {
      expect(slackPost).toContain(shown);
    }
    expect(discordDeskPosts()).toHaveLength(1);
    expect(JSON.stringify(discordDeskPosts()[0]?.body.components)).toContain('"custom_id":"desk.approve:Q-00001"');
    expect(JSON.stringify(discordDeskPosts()[0]?.body.embeds)).toContain('<@100000000000000001>');

    await click(b, 'desk.approve', 'Q-00001', SLACK.sam);
    await expect.poll(() => respondedTo(SLACK.sam).length).toBe(1);
    expect(respondedTo(SLACK.sam)[0]?.body).toMatchObject({ response_type: 'ephemeral', text: 'Nobody approves their own quote: Q-00001 is yours. It can be decided by Maria Lopez or Eli Brooks.' });

    const refused = interactionPayload('button', DISCORD.pat, { custom_id: 'desk.approve:Q-00001' });
    feed(b, refused);
    await expect.poll(() => discordCalls(refused.token).length).toBe(2);
    expect(discordCalls(refused.token)[1]?.body.content).toBe('Q-00001 needs revenue lead approval, which you do not hold in data/team.json. It can be decided by Maria Lopez or Eli Brooks.');
    expect(decisions(b)).toEqual([{ decision: null, decided_by_name: null, note: null }]);

    await click(b, 'desk.changes', 'Q-00001', SLACK.maria);
    await expect.poll(() => slack.callsTo('views.open').length).toBe(1);
    const view = slack.callsTo('views.open')[0]?.body.view as { callback_id: string; blocks: { block_id: string; element: { initial_value?: string } }[] };
    expect(view.callback_id).toBe('cmd:desk:changes');
    expect(view.blocks.map((x) => [x.block_id, x.element.initial_value])).toEqual([['quote', 'Q-00001'], ['note', undefined]]);

    now = new Date('2026-11-23T15:20:00Z');
    expect((await submit(b, 'cmd:desk:changes', { quote: 'Q-00001', note: 'bring the discount to 20% with a two-quarter term' }, SLACK.maria)).status).toBe(200);
    await expect.poll(() => slack.callsTo('chat.postEphemeral').length).toBe(1);
    expect(slack.callsTo('chat.postEphemeral')[0]?.body.text).toBe('Q-00001 sent back for changes; the rep who asked is told.');
    expect(decisions(b)).toEqual([{ decision: 'request_changes', decided_by_name: 'Maria Lopez', note: 'bring the discount to 20% with a two-quarter term' }]);
    expect(b.services.db.prepare('SELECT state FROM quotes').get()).toEqual({ state: 'changes_requested' });

    await b.risk.tick();
    await expect.poll(() => slack.callsTo('chat.update').length).toBe(1);
    await expect.poll(() => discordEdits().length).toBe(1);
    const updated = blocksText(slack.callsTo('chat.update')[0]);
    expect(slack.callsTo('chat.update')[0]?.body).toMatchObject({ channel: DESK_SLACK });
    expect(updated).toContain('sent back for changes by Maria Lopez at 2026-11-23 10:20 EST: “bring the discount to 20% with a two-quarter term”');
    expect(updated).not.toContain('desk.approve');
    const edited = discordEdits()[0];
    expect(edited?.path).toMatch(new RegExp(`^/channels/${OPS_DISCORD}/messages/\\d+$`));
    expect(JSON.stringify(edited?.body.embeds)).toContain('sent back for changes by Maria Lopez at 2026-11-23 10:20 EST');
    expect(edited?.body.components).toEqual([]);

    // The rep asked on Slack: a direct message there, with the decision and the note.
    const dm = slack.callsTo('chat.postMessage').filter((c) => c.body.channel === SLACK.sam);
    expect(dm).toHaveLength(1);
    expect(dm[0]?.body.text).toBe('Your quote Q-00001 (Initech) was sent back for changes by Maria Lopez');
    expect(blocksText(dm[0])).toContain('bring the discount to 20% with a two-quarter term');

    // A late press by another holder is told who decided; nothing changes.
    await click(b, 'desk.approve', 'Q-00001', SLACK.eli);
    await expect.poll(() => respondedTo(SLACK.eli).length).toBe(1);
    expect(respondedTo(SLACK.eli)[0]?.body.text).toBe('Q-00001 was already decided: ↩️ sent back for changes by Maria Lopez at 2026-11-23 10:20 EST: “bring the discount to 20% with a two-quarter term”.');
    expect(decisions(b)).toHaveLength(1);
  });

  it('a Discord Decline opens a modal for the reason; its submission declines the quote, updates both copies and tells the rep by Discord DM', async () => {
    const b = await start();
    const asked = interactionPayload('command', DISCORD.sam, {
      name: 'quote',
      options: [{ type: 1, name: 'run', options: [
        { name: 'model', type: 3, value: 'sonnet' }, { name: 'complexity', type: 3, value: 'medium' }, { name: 'segment', type: 3, value: 'mid_market' },
        { name: 'input', type: 4, value: 100000 }, { name: 'output', type: 4, value: 100000 }, { name: 'discount', type: 10, value: 25 },
      ] }],
    });
    feed(b, asked);
    await expect.poll(() => discordCalls(asked.token).length).toBe(2);
    await b.risk.tick();
    expect(deskPosts()).toHaveLength(1);
    expect(discordDeskPosts()).toHaveLength(1);

    const press = interactionPayload('button', DISCORD.maria, { custom_id: 'desk.decline:Q-00001' });
    feed(b, press);
    await expect.poll(() => discordCalls(press.token).length).toBe(1);
    const modal = discordCalls(press.token)[0]?.body as { type: number; data: { custom_id: string; components: { components: { custom_id: string; value?: string; required: boolean }[] }[] } };
    expect(modal.type).toBe(9); // a modal, the interaction's first answer
    expect(modal.data.custom_id).toBe('form:desk decline');
    expect(modal.data.components.map((r) => r.components[0])).toMatchObject([
      { custom_id: 'quote', value: 'Q-00001', required: true },
      { custom_id: 'reason', required: true },
    ]);

    now = new Date('2026-11-23T16:00:00Z');
    const sent = modalSubmitPayload(DISCORD.maria, 'form:desk decline', { quote: 'Q-00001', reason: 'no strategic case for 25% off' });
    feed(b, sent);
    await expect.poll(() => discordCalls(sent.token).length).toBe(2);
    expect(discordCalls(sent.token)[1]?.body.content).toBe('Q-00001 declined; the rep who asked is told.');
    expect(decisions(b)).toEqual([{ decision: 'decline', decided_by_name: 'Maria Lopez', note: 'no strategic case for 25% off' }]);

    await b.risk.tick();
    await expect.poll(() => slack.callsTo('chat.update').length).toBe(1);
    await expect.poll(() => discordEdits().length).toBe(1);
    expect(blocksText(slack.callsTo('chat.update')[0])).toContain('declined by Maria Lopez at 2026-11-23 11:00 EST');
    expect(JSON.stringify(discordEdits()[0]?.body.embeds)).toContain('declined by Maria Lopez at 2026-11-23 11:00 EST');
    // A direct message on Discord: a DM channel is opened for the rep, then the notice posted in it.
    await expect.poll(() => discord.calls.filter((c) => c.path === '/users/@me/channels').length).toBe(1);
    expect(discord.calls.find((c) => c.path === '/users/@me/channels')?.body).toEqual({ recipient_id: DISCORD.sam });
    const dm = discord.calls.filter((c) => c.method === 'POST' && /^\/channels\/9\d+\/messages$/.test(c.path));
    expect(dm.map((c) => c.body.content)).toEqual(['Your quote Q-00001 was declined by Maria Lopez']);
  });

  it('double clicks and two approvers at once: exactly one decision, one refresh per copy, the others told who decided', async () => {
    const b = await start();
    await quoteOnSlack(b, DISCOUNT_QUOTE);
    await b.risk.tick();
    await Promise.all([click(b, 'desk.approve', 'Q-00001', SLACK.maria), click(b, 'desk.approve', 'Q-00001', SLACK.maria), click(b, 'desk.approve', 'Q-00001', SLACK.eli)]);
    await expect.poll(() => respondedTo(SLACK.maria).length + respondedTo(SLACK.eli).length).toBe(3);
    const answers = [...respondedTo(SLACK.maria), ...respondedTo(SLACK.eli)].map((c) => String(c.body.text));
    expect(answers.filter((t) => t === 'Q-00001 approved; the rep who asked is told.')).toHaveLength(1);
    expect(answers.filter((t) => /^Q-00001 was already decided: ✅ approved by (Maria Lopez|Eli Brooks) at 2026-11-23 10:00 EST\.$/.test(t))).toHaveLength(2);
    expect(b.services.db.prepare("SELECT COUNT(*) AS n FROM approval_requests WHERE decided_at IS NOT NULL").get()).toEqual({ n: 1 });
    expect(b.services.db.prepare("SELECT to_state FROM quote_history ORDER BY id").all()).toEqual([{ to_state: 'escalated' }, { to_state: 'pending_approval' }, { to_state: 'approved_by_desk' }]);
    await b.risk.tick();
    await expect.poll(() => slack.callsTo('chat.update').length).toBe(1);
    await expect.poll(() => discordEdits().length).toBe(1);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.body.channel === SLACK.sam)).toHaveLength(1);
  });

  it('a request past its response time escalates once to the executive sponsor, across a restart', async () => {
    const path = dbPath();
    let b = await start(path);
    await quoteOnSlack(b, MARGIN_QUOTE); // 10:00 EST, a margin violation: due by 12:00 EST
    await b.risk.tick();
    expect(b.services.db.prepare('SELECT authority, response_hours, respond_by FROM approval_requests').get()).toEqual({
      authority: 'executive', response_hours: 2, respond_by: '2026-11-23T17:00:00.000Z',
    });
    now = new Date('2026-11-23T16:59:00Z');
    await b.risk.tick();
    expect(b.services.db.prepare('SELECT escalated_at FROM approval_requests').get()).toEqual({ escalated_at: null });

    await b.stop();
    bot = undefined;
    now = new Date('2026-11-23T17:01:00Z');
    b = await start(path);
    await b.risk.tick();
    await b.risk.tick();
    const sponsor = () => slack.callsTo('chat.postMessage').filter((c) => c.body.channel === SLACK.eli);
    expect(sponsor()).toHaveLength(1);
    expect(blocksText(sponsor()[0])).toContain('Not answered within 2h: escalated to <@U0EXEC0001> at 2026-11-23 12:01 EST');
    await expect.poll(() => slack.callsTo('chat.update').length).toBeGreaterThanOrEqual(1);
    expect(blocksText(slack.callsTo('chat.update').find((c) => c.body.channel === DESK_SLACK))).toContain('escalated to <@U0EXEC0001>');
    expect(b.services.db.prepare('SELECT escalated_at FROM approval_requests').get()).toEqual({ escalated_at: '2026-11-23T17:01:00.000Z' });

    await b.stop();
    bot = undefined;
    now = new Date('2026-11-23T19:00:00Z');
    b = await start(path);
    await b.risk.tick();
    expect(sponsor()).toHaveLength(1);
    expect(b.services.db.prepare('SELECT escalated_at FROM approval_requests').get()).toEqual({ escalated_at: '2026-11-23T17:01:00.000Z' });
  });

  it('at night the request waits for 08:00, its response clock with it, and nothing is escalated overnight', async () => {
    now = new Date('2026-11-24T04:30:00Z'); // 23:30 in New York
    const b = await start();
    await quoteOnSlack(b, MARGIN_QUOTE);
    await b.risk.tick();
    expect(deskPosts()).toHaveLength(0);
    expect(b.services.db.prepare('SELECT respond_by FROM approval_requests').get()).toEqual({ respond_by: '2026-11-24T15:00:00.000Z' });
    now = new Date('2026-11-24T12:59:00Z'); // 07:59
    await b.risk.tick();
    expect(deskPosts()).toHaveLength(0);
    now = new Date('2026-11-24T13:00:00Z'); // 08:00
    await b.risk.tick();
    expect(deskPosts()).toHaveLength(1);
    expect(b.services.db.prepare('SELECT escalated_at FROM approval_requests').get()).toEqual({ escalated_at: null });
  });
});
