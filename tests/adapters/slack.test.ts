import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET, interactionBody, postToSlackEndpoint, slashCommandBody } from '../helpers/slack-request.js';

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

const quotes = () => bot.services.db.prepare('SELECT * FROM quotes').all() as Record<string, unknown>[];
const mrkdwnOf = (blocks: unknown) => JSON.stringify(blocks);

describe('Slack /quote through the real Bolt app', () => {
  it('answers a signed slash command with the priced quote in the ack, and records it', async () => {
    const res = await postToSlackEndpoint(bot.url, slashCommandBody('/quote', 'model=k2p5 complexity=medium segment=smb input=2000 output=800'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; text: string; blocks: { type: string }[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toBe('Quote Q-00001: $0.50, margin 99.28%, approved');
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Quote Q-00001: ✅ approved', emoji: true } });
    expect(mrkdwnOf(body.blocks)).toContain('*Markup*\\n4.0x medium − 0.5x smb = 3.5x');
    expect(quotes()).toHaveLength(1);
    expect(quotes()[0]).toMatchObject({ platform: 'slack', surface: 'slash_command', user_id: 'U_BOB', user_name: 'bob' });
  });

  it('refuses a bad signature and writes nothing', async () => {
    const res = await postToSlackEndpoint(bot.url, slashCommandBody('/quote', 'k2p5 medium smb 2000 800'), { signature: 'v0=deadbeef' });
    expect(res.status).toBe(401);
    expect(quotes()).toHaveLength(0);
  });

  it('refuses a stale timestamp (a replayed request) and writes nothing', async () => {
    const res = await postToSlackEndpoint(bot.url, slashCommandBody('/quote', 'k2p5 medium smb 2000 800'), {
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect(res.status).toBe(401);
    expect(quotes()).toHaveLength(0);
  });

  it('answers a Slack retry of the same command with the first quote, stored once', async () => {
    const body = slashCommandBody('/quote', 'k2p5 medium smb 2000 800', { trigger_id: 'trigger-fixed' });
    const first = (await (await postToSlackEndpoint(bot.url, body)).json()) as { text: string };
    const retry = (await (await postToSlackEndpoint(bot.url, body, { retryNum: 1 })).json()) as { text: string };
    expect(retry.text).toBe(first.text);
    expect(quotes()).toHaveLength(1);
  });

  it('answers malformed text politely and stores nothing', async () => {
    const res = await postToSlackEndpoint(bot.url, slashCommandBody('/quote', 'model=k2p5 complexity=giant'));
    const body = (await res.json()) as { text: string; response_type: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('`complexity` must be one of low, medium, high; you gave `giant`.');
    expect(quotes()).toHaveLength(0);
  });

  it('explains usage on /quote help', async () => {
    const body = (await (await postToSlackEndpoint(bot.url, slashCommandBody('/quote', 'help'))).json()) as { blocks: unknown };
    expect(mrkdwnOf(body.blocks)).toContain('/quote model=k2p5 complexity=medium segment=smb input=2000 output=800');
  });

  it('opens a modal for a bare /quote, prices its submission and posts the result', async () => {
    const open = await postToSlackEndpoint(bot.url, slashCommandBody('/quote', '', { trigger_id: 'trigger-modal' }));
    expect(open.status).toBe(200);
    await expect.poll(() => slack.callsTo('views.open').length).toBe(1);
    const opened = slack.callsTo('views.open')[0]?.body as { trigger_id: string; view: { callback_id: string; blocks: { block_id: string; element: { type: string } }[] } };
    expect(opened.trigger_id).toBe('trigger-modal');
    expect(opened.view.callback_id).toBe('cmd:quote');
    expect(opened.view.blocks.map((b) => `${b.block_id}:${b.element.type}`)).toEqual([
      'model:static_select', 'complexity:static_select', 'segment:static_select', 'input:number_input', 'output:number_input',
      'delivery:static_select', 'discount:number_input', 'account:plain_text_input', 'sla:static_select', 'scope_growth:number_input', 'scope:static_select',
    ]);

    const submission = (values: Record<string, unknown>) =>
      interactionBody({
        type: 'view_submission',
        team: { id: 'T1', domain: 'j1msky' },
        user: { id: 'U_BOB', name: 'bob', team_id: 'T1' },
        api_app_id: 'A1',
        trigger_id: 'trigger-submit',
        view: { id: 'V1', type: 'modal', callback_id: 'cmd:quote', private_metadata: JSON.stringify({ channelId: 'C_SALES' }), state: { values }, hash: 'h1' },
      });
    const select = (v: string) => ({ value: { type: 'static_select', selected_option: { value: v } } });
    const number = (v: string | null) => ({ value: { type: 'number_input', value: v } });

    const bad = await postToSlackEndpoint(bot.url, submission({ model: select('opus'), complexity: select('high'), segment: select('smb'), input: number('2000'), output: number(null) }));
    expect(await bad.json()).toEqual({ response_action: 'errors', errors: { output: 'output is missing: give a whole number from 0 to 100000000.' } });
    expect(quotes()).toHaveLength(0);

    const good = await postToSlackEndpoint(bot.url, submission({ model: select('opus'), complexity: select('high'), segment: select('enterprise'), input: number('100000'), output: number('50000'), discount: number(null) }));
    expect(good.status).toBe(200);
    await expect.poll(() => slack.callsTo('chat.postEphemeral').length).toBe(1);
    const posted = slack.callsTo('chat.postEphemeral')[0]?.body as { channel: string; user: string; text: string };
    expect(posted).toMatchObject({ channel: 'C_SALES', user: 'U_BOB', text: 'Quote Q-00001: $9.63, margin 81.82%, approved' });
    expect(quotes()[0]).toMatchObject({ surface: 'modal', model: 'opus', final_price_micros: 9_630_000 });
  });
});
