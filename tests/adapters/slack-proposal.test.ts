import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET, buttonPressBody, interactionBody, postToSlackEndpoint, slashCommandBody } from '../helpers/slack-request.js';

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let bot: RunningBot;

beforeEach(async () => {
  slack = await startFakeSlack();
  const config = testConfig({ PORT: '0', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url });
  bot = await startBot(config, silentLog);
});
afterEach(async () => {
  await bot.stop();
  await slack.close();
});

const db = () => bot.services.db;
const count = (table: string) => (db().prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const select = (v: string) => ({ value: { type: 'static_select', selected_option: { value: v } } });
const plain = (v: string) => ({ value: { type: 'plain_text_input', value: v } });
const number = (v: string) => ({ value: { type: 'number_input', value: v } });

const sam = { id: 'U0SALES001', name: 'sam', team_id: 'T1' };
const eli = { id: 'U0EXEC0001', name: 'eli', team_id: 'T1' };
const maria = { id: 'U0REVMGR01', name: 'maria', team_id: 'T1' };

function submit(callbackId: string, user: typeof sam, values: Record<string, unknown>, viewId = 'V1') {
  return postToSlackEndpoint(
    bot.url,
    interactionBody({
      type: 'view_submission', team: { id: 'T1', domain: 'j1msky' }, user, api_app_id: 'A1', trigger_id: `trigger-${viewId}`,
      view: { id: viewId, type: 'modal', callback_id: callbackId, private_metadata: JSON.stringify({ channelId: 'C_SALES' }), state: { values }, hash: 'h' },
    }),
  );
}

function press(user: typeof sam, action: string, value: string, trigger = `trigger-${Math.random()}`) {
  return postToSlackEndpoint(bot.url, buttonPressBody({ action, value, user, channel: 'C0EXEC0001', trigger, responseUrl: `${slack.url}respond` }));
}

const risky = {
  account: plain('Initech'), segment: select('smb'), model: select('sonnet'), input: number('100000'), output: number('100000'),
  base: plain('low discount=15 owner=maria'), recommended: plain('medium discount=40 owner=eli'), premium: plain('high'),
};

describe('Slack: a proposal from the form, and the executive review through the buttons', () => {
  it('a bare /proposal opens its form; a bad option is marked on its input; a good one is recorded and answered', async () => {
    await postToSlackEndpoint(bot.url, slashCommandBody('/proposal', '', { trigger_id: 'trigger-form', user_id: sam.id, user_name: sam.name }));
    await expect.poll(() => slack.callsTo('views.open').length).toBe(1);
    const view = slack.callsTo('views.open')[0]?.body.view as { callback_id: string; blocks: { block_id: string }[] };
    expect(view.callback_id).toBe('cmd:proposal');
    expect(view.blocks.map((b) => b.block_id)).toEqual(expect.arrayContaining(['account', 'segment', 'input', 'output', 'base', 'recommended', 'premium', 'stretch']));

    const bad = await submit('cmd:proposal', sam, { ...risky, recommended: plain('medium discount=ten') }, 'V-bad');
    const errors = (await bad.json()) as { response_action: string; errors: Record<string, string> };
    expect(errors.response_action).toBe('errors');
    expect(errors.errors.recommended).toContain('discount must be a number from 0 to 100; you gave ten');
    expect(count('quotes')).toBe(0);

    const good = await submit('cmd:proposal', sam, risky, 'V-good');
    expect(good.status).toBe(200);
    await expect.poll(() => slack.callsTo('chat.postEphemeral').length).toBe(1);
    expect(slack.callsTo('chat.postEphemeral')[0]?.body.text).toBe('Proposal P-00001 for Initech: 1 of 3 compliant, revise');
    expect(db().prepare('SELECT surface, user_id, exec_review FROM proposals').get()).toEqual({ surface: 'modal', user_id: sam.id, exec_review: 'pending' });
    // The executive request is delivered to the exec channel with its three buttons.
    await expect.poll(() => slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C0EXEC0001').length).toBe(1);
    const request = JSON.stringify(slack.callsTo('chat.postMessage').find((c) => c.body.channel === 'C0EXEC0001')?.body.blocks);
    for (const action of ['proposal.approve', 'proposal.rework', 'proposal.decline']) expect(request).toContain(`"action_id":"${action}"`);
  });

  it('a non-executive’s click is refused privately; the executive’s Approve opens the memo form, and its submission decides once', async () => {
    await submit('cmd:proposal', sam, risky, 'V-p');
    await expect.poll(() => count('proposals')).toBe(1);

    await press(maria, 'proposal.decline', 'P-00001');
    await expect.poll(() => slack.callsTo('respond').length).toBe(1);
    expect(slack.callsTo('respond')[0]?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(slack.callsTo('respond')[0]?.body.text)).toContain('Only an executive may decide');
    expect(db().prepare('SELECT exec_review FROM proposals').get()).toEqual({ exec_review: 'pending' });

    await press(eli, 'proposal.approve', 'P-00001', 'trigger-approve');
    await expect.poll(() => slack.callsTo('views.open').length).toBe(1);
    const form = slack.callsTo('views.open')[0]?.body as { trigger_id: string; view: { callback_id: string; blocks: { block_id: string; element: { initial_value?: string; multiline?: boolean } }[] } };
    expect(form.trigger_id).toBe('trigger-approve');
    expect(form.view.callback_id).toBe('cmd:proposal:approve');
    const byId = Object.fromEntries(form.view.blocks.map((b) => [b.block_id, b.element]));
    expect(byId.proposal?.initial_value).toBe('P-00001');
    expect(byId.memo?.multiline).toBe(true);

    const noMemo = await submit('cmd:proposal:approve', eli, { proposal: plain('P-00001') }, 'V-nomemo');
    expect(((await noMemo.json()) as { errors: Record<string, string> }).errors.memo).toContain('memo is missing');

    const memo = { proposal: plain('P-00001'), memo: plain('Strategic logo; renewal repricing in Q3') };
    expect((await submit('cmd:proposal:approve', eli, memo, 'V-memo')).status).toBe(200);
    await expect.poll(() => (db().prepare('SELECT exec_review FROM proposals').get() as { exec_review: string }).exec_review).toBe('approved_with_memo');
    expect(db().prepare('SELECT exec_user_id, exec_person_id, exec_memo FROM proposals').get()).toEqual({ exec_user_id: eli.id, exec_person_id: 'eli', exec_memo: 'Strategic logo; renewal repricing in Q3' });

    // A second form (the double click's) is told on the form who decided, and nothing changes.
    const second = await submit('cmd:proposal:approve', eli, { ...memo, memo: plain('again') }, 'V-memo-2');
    expect(((await second.json()) as { errors: Record<string, string> }).errors.proposal).toMatch(/^P-00001 was already approved with a strategic exception memo by Eli Brooks at /);
    expect(db().prepare('SELECT exec_memo FROM proposals').get()).toEqual({ exec_memo: 'Strategic logo; renewal repricing in Q3' });
    // The request posted in the exec channel is updated in place: the decision, who and when, and no buttons.
    await expect.poll(() => slack.callsTo('chat.update').length).toBe(1);
    // The copy recorded when the request was posted is the one updated.
    const copy = db().prepare("SELECT channel, message_ts AS ts FROM posted_messages WHERE subject = 'proposal_review:1' AND platform = 'slack'").get() as { channel: string; ts: string };
    const updated = slack.callsTo('chat.update')[0]?.body;
    expect(updated).toMatchObject({ channel: 'C0EXEC0001', ts: copy.ts });
    expect(String(updated?.text)).toMatch(/^Proposal P-00001 \(Initech\) approved with a strategic exception memo by Eli Brooks at /);
    const blocks = JSON.stringify(updated?.blocks);
    expect(blocks).toContain('Strategic logo; renewal repricing in Q3');
    for (const action of ['proposal.approve', 'proposal.rework', 'proposal.decline']) expect(blocks).not.toContain(action);
    // The rep who asked is told by direct message; the channel gets no second message.
    await expect.poll(() => slack.callsTo('chat.postMessage').filter((c) => c.body.channel === sam.id).length).toBe(1);
    expect(slack.callsTo('chat.postMessage').find((c) => c.body.channel === sam.id)?.body.text).toBe('Your proposal P-00001 (Initech) was approved with a strategic exception memo by Eli Brooks');
    expect(slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C0EXEC0001')).toHaveLength(1);
  });
});
