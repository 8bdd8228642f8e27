import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET, buttonPressBody, interactionBody, postToSlackEndpoint, slashCommandBody } from '../helpers/slack-request.js';

const DAY = 86_400_000;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let bot: RunningBot | undefined;
let now = new Date('2026-11-22T15:00:00Z');
const dbPath = () => join(mkdtempSync(join(tmpdir(), 'j1msky-alerts-')), 'ops.db');

async function start(path: string) {
  const config = testConfig({
    PORT: '0', DATABASE_PATH: path, RISK_TICK_SECONDS: '3600',
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url,
  });
  bot = await startBot(config, silentLog, { clock: () => now });
  await bot.risk.idle();
  return bot;
}

beforeEach(async () => {
  now = new Date('2026-11-22T15:00:00Z');
  slack = await startFakeSlack();
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await slack.close();
});

const command = (b: RunningBot, text: string, user = 'U0SALES001') =>
  postToSlackEndpoint(b.url, slashCommandBody('/exceptions', text, { user_id: user }));
const addOld = (b: RunningBot, account: string, daysAgo: number) =>
  command(b, `add quote=CRM-1 account="${account}" segment=enterprise reason="strategic logo" approved_by="Eli Brooks" approved_by_role=executive owner=sam plan="renewal repricing" target_date=2027-02-01 approved_at=${new Date(now.getTime() - daysAgo * DAY).toISOString()}`);
const click = (b: RunningBot, alertId: number, user: string) =>
  postToSlackEndpoint(
    b.url,
    buttonPressBody({ action: 'exceptions.ack', value: String(alertId), user, channel: 'C0OPS00001', responseUrl: `${slack.url.replace(/\/api\/$/, '')}/respond/${user}` }),
  );
const blocksText = (call: { body: Record<string, unknown> } | undefined) => JSON.stringify(call?.body.blocks ?? '');
const alertId = (b: RunningBot, level: string) =>
  (b.services.db.prepare('SELECT id FROM alerts WHERE level = ?').get(level) as { id: number }).id;

describe('exception alerts on Slack, end to end', () => {
  it('posts a warning with the playbook template and a button; refuses a rep; records one manager acknowledgement and updates the message', async () => {
    const b = await start(dbPath());
    expect((await addOld(b, 'Acme Corp', 14)).status).toBe(200);
    await b.risk.tick();
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body).toMatchObject({ channel: 'C0OPS00001', text: expect.stringMatching(/^\[Exception Risk: warning\] EX-00001 Acme Corp \(enterprise\) is 14 days old.* \| Next action: manager_followup$/) });
    expect(blocksText(posts[0])).toContain('"action_id":"exceptions.ack"');
    expect(blocksText(posts[0])).toContain('<@U0REVMGR01>');
    const id = alertId(b, 'warning');

    await click(b, id, 'U0SALES001');
    await expect.poll(() => slack.callsTo('/respond/U0SALES001').length).toBe(1);
    expect(slack.callsTo('/respond/U0SALES001')[0]?.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Only a revenue manager or an executive') });

    // A double click and a second manager, sent together; the bot handles them in turn (the race between
    // two processes is tests/concurrency/races.test.ts), and whichever arrives first is recorded.
    await Promise.all([click(b, id, 'U0REVMGR01'), click(b, id, 'U0REVMGR01'), click(b, id, 'U0EXEC0001')]);
    await b.risk.tick();
    await expect.poll(() => slack.callsTo('chat.update').length).toBe(1);
    const update = slack.callsTo('chat.update')[0];
    expect(update?.body).toMatchObject({ channel: 'C0OPS00001', ts: posts[0] && expect.any(String) });
    expect(blocksText(update)).toMatch(/Acknowledged by (Maria Lopez|Eli Brooks) at 2026-11-22 10:00 EST/);
    expect(blocksText(update)).not.toContain('exceptions.ack');
    expect(b.services.db.prepare('SELECT COUNT(*) AS n FROM alerts WHERE acknowledged_at IS NOT NULL').get()).toEqual({ n: 1 });
  });

  it('delivers after a 429 once Retry-After has passed, exactly once', async () => {
    const b = await start(dbPath());
    let limited = 0;
    slack.respondWith((call) =>
      call.method === 'chat.postMessage' && limited++ === 0
        ? { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } }
        : undefined,
    );
    await addOld(b, 'Acme Corp', 14);
    await b.risk.tick();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(b.services.db.prepare("SELECT status FROM outbox").all()).toEqual([{ status: 'pending' }]);
    now = new Date(now.getTime() + 10_000);
    await b.risk.tick();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    now = new Date(now.getTime() + 21_000);
    await b.risk.tick();
    await b.risk.tick();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
    expect(b.services.db.prepare("SELECT status, attempts FROM outbox").all()).toEqual([{ status: 'delivered', attempts: 1 }]);
  });

  it('pages the sponsor for a critical and escalates it once when nobody acknowledges in 30 minutes, across a restart', async () => {
    const path = dbPath();
    let b = await start(path);
    await addOld(b, 'Globex', 31);
    await b.risk.tick();
    expect(slack.callsTo('chat.postMessage').map((c) => c.body.channel)).toEqual(['C0OPS00001', 'C0EXEC0001', 'U0EXEC0001']);

    now = new Date(now.getTime() + 29 * 60_000);
    await b.risk.tick();
    expect(b.services.db.prepare('SELECT escalated_at FROM alerts').get()).toEqual({ escalated_at: null });

    await b.stop();
    bot = undefined;
    now = new Date(now.getTime() + 2 * 60_000);
    b = await start(path);
    await b.risk.tick();
    await b.risk.tick();
    const escalations = slack.callsTo('chat.postMessage').filter((c) => String(c.body.text).startsWith('Escalated:'));
    expect(escalations.map((c) => c.body.channel)).toEqual(['C0OPS00001', 'U0EXEC0001']);
    expect(b.services.db.prepare('SELECT COUNT(*) AS n FROM alerts WHERE escalated_at IS NOT NULL').get()).toEqual({ n: 1 });
    await expect.poll(() => slack.callsTo('chat.update').length).toBe(3);
    expect(blocksText(slack.callsTo('chat.update')[0])).toContain('escalated at 2026-11-22 10:31 EST');
  });

  it('offers an escalated quote as an exception through a button that opens the form', async () => {
    const b = await start(dbPath());
    const res = await postToSlackEndpoint(b.url, slashCommandBody('/quote', 'opus high startup 100000 50000 discount=60 account=Initech'));
    expect(JSON.stringify(await res.json())).toContain('"action_id":"exceptions.from_quote"');
    await postToSlackEndpoint(
      b.url,
      interactionBody({
        type: 'block_actions', team: { id: 'T1' }, user: { id: 'U0SALES001', name: 'sam', team_id: 'T1' }, api_app_id: 'A1',
        trigger_id: 'trigger-from-quote', response_url: `${slack.url}respond`, channel: { id: 'C_SALES' },
        actions: [{ type: 'button', action_id: 'exceptions.from_quote', block_id: 'b', value: 'Q-00001', action_ts: '1' }],
      }),
    );
    await expect.poll(() => slack.callsTo('views.open').length).toBe(1);
    const view = slack.callsTo('views.open')[0]?.body.view as { callback_id: string; blocks: { block_id: string; element: { initial_value?: string; initial_option?: { value: string } } }[] };
    expect(view.callback_id).toBe('cmd:exceptions:add');
    const initial = Object.fromEntries(view.blocks.map((blk) => [blk.block_id, blk.element.initial_value ?? blk.element.initial_option?.value]));
    expect(initial).toMatchObject({ quote: 'Q-00001', account: 'Initech', segment: 'startup' });
  });

  it('answers a modal by direct message through the outbox when the channel refuses: retried after a failure, delivered once', async () => {
    const b = await start(dbPath());
    let dmFailures = 0;
    slack.respondWith((call) =>
      call.method === 'chat.postEphemeral'
        ? { body: { ok: false, error: 'channel_not_found' } }
        : call.method === 'chat.postMessage' && call.body.channel === 'U0SALES001' && dmFailures++ === 0
          ? { status: 500, body: { ok: false, error: 'internal_error' } }
          : undefined,
    );
    const select = (v: string) => ({ value: { type: 'static_select', selected_option: { value: v } } });
    const number = (v: string) => ({ value: { type: 'number_input', value: v } });
    const res = await postToSlackEndpoint(
      b.url,
      interactionBody({
        type: 'view_submission', team: { id: 'T1', domain: 'j1msky' }, user: { id: 'U0SALES001', name: 'sam', team_id: 'T1' }, api_app_id: 'A1', trigger_id: 'trigger-dm',
        view: {
          id: 'V-dm', type: 'modal', callback_id: 'cmd:quote', private_metadata: JSON.stringify({ channelId: 'C_PRIVATE' }), hash: 'h',
          state: { values: { model: select('k2p5'), complexity: select('medium'), segment: select('smb'), input: number('2000'), output: number('800') } },
        },
      }),
    );
    expect(res.status).toBe(200);
    const dms = () => slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'U0SALES001');
    await expect.poll(() => dms().length).toBe(1); // the first try fails with a 500
    const row = () => b.services.db.prepare("SELECT status, destination, attempts FROM outbox WHERE kind = 'message'").get();
    await expect.poll(row).toEqual({ status: 'pending', destination: 'U0SALES001', attempts: 1 });

    now = new Date(now.getTime() + 10_000);
    await b.risk.tick();
    await expect.poll(row).toEqual({ status: 'delivered', destination: 'U0SALES001', attempts: 2 });
    expect(dms()).toHaveLength(2);
    expect(dms()[1]?.body.text).toBe('Quote Q-00001: $0.50, margin 99.28%, approved');
    await b.risk.tick();
    expect(dms()).toHaveLength(2);
  });
});
