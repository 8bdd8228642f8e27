import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { getVersion } from '../../src/store/policy-versions.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET, buttonPressBody, interactionBody, postToSlackEndpoint, slashCommandBody } from '../helpers/slack-request.js';

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let bot: RunningBot;
const now = new Date('2026-11-22T14:00:00Z');

beforeEach(async () => {
  slack = await startFakeSlack();
  const config = testConfig({ PORT: '0', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url });
  bot = await startBot(config, silentLog, { clock: () => now });
});
afterEach(async () => {
  await bot.stop();
  await slack.close();
});

const db = () => bot.services.db;
const B = 'pricing_policy_v2026-11-22b';
const plain = (v: string) => ({ value: { type: 'plain_text_input', value: v } });
const select = (v: string) => ({ value: { type: 'static_select', selected_option: { value: v } } });

const pat = { id: 'U0PRICING1', name: 'pat', team_id: 'T1' };
const maria = { id: 'U0REVMGR01', name: 'maria', team_id: 'T1' };
const eli = { id: 'U0EXEC0001', name: 'eli', team_id: 'T1' };

function submit(callbackId: string, user: typeof pat, values: Record<string, unknown>, viewId: string) {
  return postToSlackEndpoint(
    bot.url,
    interactionBody({
      type: 'view_submission', team: { id: 'T1', domain: 'j1msky' }, user, api_app_id: 'A1', trigger_id: `trigger-${viewId}`,
      view: { id: viewId, type: 'modal', callback_id: callbackId, private_metadata: JSON.stringify({ channelId: 'C0OPS00001' }), state: { values }, hash: 'h' },
    }),
  );
}

function press(user: typeof pat, action: string, value: string, trigger = `trigger-${Math.random()}`) {
  return postToSlackEndpoint(bot.url, buttonPressBody({ action, value, user, channel: 'C0OPS00001', trigger, responseUrl: `${slack.url}respond` }));
}

const record = {
  rationale: plain('Medium work underpriced'), drift: plain('medium margin 8 points under target'), expected: plain('medium margin back to target'),
  expected_margin: select('up'), rollback_criteria: plain('medium win rate under 30% for 2 weeks'),
};
const postsTo = (channel: string) => slack.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);

describe('Slack: a policy change proposed in the form and decided with the buttons', () => {
  it('a bare /policy propose opens the form; a guardrail breach is marked on its field; a good change is proposed, its review posted with both buttons', async () => {
    await postToSlackEndpoint(bot.url, slashCommandBody('/policy', 'propose', { trigger_id: 'trigger-form', user_id: pat.id, user_name: pat.name }));
    await expect.poll(() => slack.callsTo('views.open').length).toBe(1);
    const view = slack.callsTo('views.open')[0]?.body.view as { callback_id: string; blocks: { block_id: string; optional: boolean; element: { multiline?: boolean } }[] };
    expect(view.callback_id).toBe('cmd:policy:propose');
    expect(view.blocks.map((b) => [b.block_id, b.optional])).toEqual([
      ['changes', false], ['type', true], ['rationale', false], ['drift', false], ['expected', false], ['expected_margin', false], ['rollback_criteria', false], ['effective', true],
    ]);
    expect(view.blocks.find((b) => b.block_id === 'changes')?.element.multiline).toBe(true);

    const bad = await submit('cmd:policy:propose', pat, { changes: plain('base_markup.medium=5.5'), ...record }, 'V-bad');
    const errors = (await bad.json()) as { response_action: string; errors: Record<string, string> };
    expect(errors.response_action).toBe('errors');
    expect(errors.errors.changes).toContain('base_markup.medium moves by 1.50x (4 -> 5.5); at most 1.0x in one change');
    expect(getVersion(db(), B)).toBeUndefined();

    // One change per line, as the multi-line field invites.
    const good = await submit('cmd:policy:propose', pat, { changes: plain('base_markup.medium=4.5\nsegment_adjustment.smb=-0.25'), ...record }, 'V-good');
    expect(good.status).toBe(200);
    await expect.poll(() => slack.callsTo('chat.postEphemeral').length).toBe(1);
    expect(slack.callsTo('chat.postEphemeral')[0]?.body.text).toBe(`${B} proposed (minor). Sent for review (a revenue manager or an executive: Maria Lopez, Eli Brooks).`);
    expect(getVersion(db(), B)).toMatchObject({ state: 'proposed', changeType: 'minor', proposedBy: { platform: 'slack', userId: pat.id, personId: 'pat' } });
    await expect.poll(() => postsTo('C0OPS00001').length).toBe(1);
    const request = JSON.stringify(postsTo('C0OPS00001')[0]?.body.blocks);
    for (const action of ['policy.approve', 'policy.reject']) expect(request).toContain(`"action_id":"${action}"`);
    expect(request).toContain('segment_adjustment.smb');
  });

  it('a signed /policy propose; the proposer’s own click is refused; the revenue manager’s Approve decides once, updates the post in place and tells the proposer', async () => {
    const text = 'propose changes="base_markup.medium=4.5" rationale=r drift=d expected=e expected_margin=up rollback_criteria=c';
    await postToSlackEndpoint(bot.url, slashCommandBody('/policy', text, { user_id: pat.id, user_name: pat.name }));
    await expect.poll(() => getVersion(db(), B)?.state).toBe('proposed');
    await expect.poll(() => postsTo('C0OPS00001').length).toBe(1);

    await press(pat, 'policy.approve', B);
    await expect.poll(() => slack.callsTo('respond').length).toBe(1);
    expect(slack.callsTo('respond')[0]?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(slack.callsTo('respond')[0]?.body.text)).toContain('a minor change is reviewed by a revenue manager or an executive');

    await press(maria, 'policy.approve', B);
    await expect.poll(() => getVersion(db(), B)?.state).toBe('approved');
    expect(getVersion(db(), B)).toMatchObject({ effectiveAt: now, reviewedBy: { platform: 'slack', userId: maria.id, personId: 'maria' } });
    await expect.poll(() => slack.callsTo('respond').length).toBe(2);
    expect(String(slack.callsTo('respond')[1]?.body.text)).toBe(`${B} approved by Maria Lopez at 2026-11-22 09:00 EST. It is in force from 2026-11-22 09:00 EST. The proposer is told.`);

    // The second press (Eli, a moment later) is told who decided; nothing changes.
    await press(eli, 'policy.approve', B);
    await expect.poll(() => slack.callsTo('respond').length).toBe(3);
    expect(String(slack.callsTo('respond')[2]?.body.text)).toBe(`${B} was already approved by Maria Lopez at 2026-11-22 09:00 EST.`);

    // The request in the ops channel is updated in place: the decision, and no buttons.
    await expect.poll(() => slack.callsTo('chat.update').length).toBe(1);
    const copy = db().prepare('SELECT channel, message_ts AS ts FROM posted_messages WHERE subject = ?').get(`policy_review:${B}`) as { channel: string; ts: string };
    const updated = slack.callsTo('chat.update')[0]?.body;
    expect(updated).toMatchObject({ channel: 'C0OPS00001', ts: copy.ts });
    expect(String(updated?.text)).toBe(`Pricing policy change ${B} (minor): approved by Maria Lopez at 2026-11-22 09:00 EST; in force from 2026-11-22 09:00 EST`);
    for (const action of ['policy.approve', 'policy.reject']) expect(JSON.stringify(updated?.blocks)).not.toContain(action);
    // The proposer is told by direct message.
    await expect.poll(() => postsTo(pat.id).length).toBe(1);
    expect(postsTo(pat.id)[0]?.body.text).toBe(`Your pricing policy change ${B} was approved by Maria Lopez at 2026-11-22 09:00 EST`);
    expect(slack.callsTo('chat.update')).toHaveLength(1);
  });

  it('Reject opens the reject form for an executive, and its submission rejects the major change', async () => {
    const text = 'propose changes="price_floor_usd=0.6" rationale=r drift=d expected=e expected_margin=up rollback_criteria=c';
    await postToSlackEndpoint(bot.url, slashCommandBody('/policy', text, { user_id: pat.id, user_name: pat.name }));
    await expect.poll(() => getVersion(db(), B)?.changeType).toBe('major');
    await press(eli, 'policy.reject', B, 'trigger-reject');
    await expect.poll(() => slack.callsTo('views.open').length).toBe(1);
    const form = slack.callsTo('views.open')[0]?.body as { trigger_id: string; view: { callback_id: string; blocks: { block_id: string; element: { initial_value?: string } }[] } };
    expect(form.trigger_id).toBe('trigger-reject');
    expect(form.view.callback_id).toBe('cmd:policy:reject');
    expect(form.view.blocks.find((b) => b.block_id === 'version')?.element.initial_value).toBe(B);
    expect((await submit('cmd:policy:reject', eli, { version: plain(B), note: plain('wait for Q4 calibration') }, 'V-reject')).status).toBe(200);
    await expect.poll(() => getVersion(db(), B)?.state).toBe('rejected');
    expect(getVersion(db(), B)?.reviewNote).toBe('wait for Q4 calibration');
  });
});
