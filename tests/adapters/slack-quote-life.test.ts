import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET, buttonPressBody, interactionBody, postToSlackEndpoint, slashCommandBody } from '../helpers/slack-request.js';

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let bot: RunningBot | undefined;
const now = new Date('2026-11-22T15:00:00Z');

beforeEach(async () => {
  slack = await startFakeSlack();
  bot = await startBot(
    testConfig({ PORT: '0', DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'j1msky-life-')), 'ops.db'), RISK_TICK_SECONDS: '3600', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url }),
    silentLog,
    { clock: () => now },
  );
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await slack.close();
});

const press = (b: RunningBot, action: string, value: string, user: string) =>
  postToSlackEndpoint(
    b.url,
    buttonPressBody({ action, value, user, channel: 'C_SALES', trigger: `trigger-${action}-${user}`, responseUrl: `${slack.url.replace(/\/api\/$/, '')}/respond/${user}` }),
  );
const state = (b: RunningBot) => (b.services.db.prepare('SELECT state FROM quotes WHERE seq = 1').get() as { state: string }).state;

describe('a quote’s life on Slack, end to end', () => {
  it('Conditions met sends a conditional quote; another rep is refused; Lost opens a form whose submission records the reason', async () => {
    const b = bot as RunningBot;
    const res = await postToSlackEndpoint(b.url, slashCommandBody('/quote', 'k2p5 medium smb 2000 800 scope=unclear', { user_id: 'U0SALES001' }));
    expect(JSON.stringify(await res.json())).toContain('"action_id":"quote.conditions_met"');

    await press(b, 'quote.conditions_met', 'Q-00001', 'U0STRANGER');
    await expect.poll(() => slack.callsTo('/respond/U0STRANGER').length).toBe(1);
    expect(slack.callsTo('/respond/U0STRANGER')[0]?.body).toMatchObject({ text: expect.stringContaining('only they, or a revenue manager') });
    expect(state(b)).toBe('approved_with_conditions');

    await press(b, 'quote.conditions_met', 'Q-00001', 'U0SALES001');
    await expect.poll(() => state(b)).toBe('sent');

    await press(b, 'quote.lost', 'Q-00001', 'U0SALES001');
    await expect.poll(() => slack.callsTo('views.open').length).toBe(1);
    const view = slack.callsTo('views.open')[0]?.body.view as { callback_id: string; blocks: { block_id: string; element: { initial_value?: string } }[] };
    expect(view.callback_id).toBe('cmd:quote:lost');
    expect(view.blocks.find((blk) => blk.block_id === 'id')?.element.initial_value).toBe('Q-00001');

    const submitted = await postToSlackEndpoint(
      b.url,
      interactionBody({
        type: 'view_submission', team: { id: 'T1', domain: 'j1msky' }, user: { id: 'U0SALES001', name: 'sam', team_id: 'T1' }, api_app_id: 'A1', trigger_id: 'trigger-lost',
        view: {
          id: 'V-lost', type: 'modal', callback_id: view.callback_id, private_metadata: JSON.stringify({ channelId: 'C_SALES' }), hash: 'h',
          state: {
            values: {
              id: { value: { type: 'plain_text_input', value: 'Q-00001' } },
              reason: { value: { type: 'static_select', selected_option: { value: 'competitor' } } },
              competitor: { value: { type: 'plain_text_input', value: 'Globex' } },
              note: { value: { type: 'plain_text_input', value: null } },
            },
          },
        },
      }),
    );
    expect(submitted.status).toBe(200);
    await expect.poll(() => state(b)).toBe('lost');
    expect(b.services.db.prepare("SELECT user_id, person_id, role, detail FROM quote_history WHERE to_state = 'lost'").get()).toEqual({
      user_id: 'U0SALES001', person_id: 'sam', role: 'sales_rep', detail: JSON.stringify({ event: 'lose', reason: 'competitor', competitor: 'Globex' }),
    });
  });
});
