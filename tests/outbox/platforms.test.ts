import { describe, expect, it } from 'vitest';
import { deliveryPlatforms } from '../../src/outbox/platforms.js';
import { testConfig } from '../helpers/context.js';

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's' };
const DISCORD = { DISCORD_TOKEN: 't', DISCORD_APP_ID: '1' };

describe('deliveryPlatforms: one answer for the bot and the CLI', () => {
  it.each([
    // env, console open in this process, platforms
    [{}, false, ['console']], // a console-only bot as a service, or the CLI: the console prints it when it next opens
    [{}, true, ['console']],
    [{ CONSOLE: 'off' }, false, []],
    [SLACK, false, ['slack']],
    [SLACK, true, ['slack', 'console']], // the bot in a terminal with Slack also prints alerts there
    [DISCORD, false, ['discord']],
    [{ ...SLACK, ...DISCORD }, false, ['slack', 'discord']],
    [{ ...DISCORD, CONSOLE: 'on' }, false, ['discord', 'console']], // CONSOLE=on: the bot always opens one
  ] as const)('%j, console open: %s → %j', (env, open, platforms) => {
    expect(deliveryPlatforms(testConfig(env), open)).toEqual(platforms);
  });
});
