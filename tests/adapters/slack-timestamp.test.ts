import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { isFutureTimestamp, MAX_TIMESTAMP_SKEW_SECONDS } from '../../src/adapters/slack/timestamp.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET, postToSlackEndpoint, slashCommandBody } from '../helpers/slack-request.js';

describe('isFutureTimestamp', () => {
  const nowMs = 1_790_000_000_000;
  const nowS = nowMs / 1000;
  it.each([
    [String(nowS), false],
    [String(nowS + MAX_TIMESTAMP_SKEW_SECONDS), false],
    [String(nowS + MAX_TIMESTAMP_SKEW_SECONDS + 1), true],
    [String(nowS + 86_400), true],
    [String(nowS - 86_400), false], // stale is Bolt's to refuse
    [[String(nowS + 86_400)], true],
    ['soon', false], // not a number: Bolt refuses it
    [undefined, false],
  ] as const)('%j is in the future: %s', (header, future) => {
    expect(isFutureTimestamp(header as string | string[] | undefined, nowMs)).toBe(future);
  });
});

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let bot: RunningBot;
beforeEach(async () => {
  slack = await startFakeSlack();
  bot = await startBot(testConfig({ PORT: '0', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url }), silentLog);
});
afterEach(async () => {
  await bot.stop();
  await slack.close();
});

const quotes = () => (bot.services.db.prepare('SELECT COUNT(*) AS n FROM quotes').get() as { n: number }).n;

describe('Slack requests are refused outside five minutes either side of now, correctly signed or not', () => {
  it.each([
    ['now', 0, 200],
    ['four minutes ahead (clock skew)', 4 * 60, 200],
    ['six minutes ahead', 6 * 60, 401],
    ['a day ahead', 86_400, 401],
    ['six minutes old (Bolt refuses it)', -6 * 60, 401],
  ])('%s', async (_name, offsetSeconds, status) => {
    const timestamp = Math.floor(Date.now() / 1000) + offsetSeconds;
    const res = await postToSlackEndpoint(bot.url, slashCommandBody('/quote', 'model=k2p5 complexity=medium segment=smb input=2000 output=800'), { timestamp });
    expect(res.status).toBe(status);
    expect(quotes()).toBe(status === 200 ? 1 : 0);
  });
});
