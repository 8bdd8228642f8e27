import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { interactionPayload, startFakeDiscord } from '../helpers/fake-discord.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET, postToSlackEndpoint, slashCommandBody } from '../helpers/slack-request.js';

let discord: Awaited<ReturnType<typeof startFakeDiscord>>;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let bot: RunningBot;

beforeEach(async () => {
  discord = await startFakeDiscord();
  slack = await startFakeSlack();
  bot = await startBot(
    testConfig({
      PORT: '0', RISK_TICK_SECONDS: '3600',
      DISCORD_TOKEN: 'discord-test-token', DISCORD_APP_ID: '777', DISCORD_API_URL: discord.url,
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url,
    }),
    silentLog,
    { clock: () => new Date('2026-11-22T15:00:00Z'), skipDiscordLogin: true },
  );
  await bot.risk.idle();
});
afterEach(async () => {
  await bot.stop();
  await discord.close();
  await slack.close();
});

describe('Slack and Discord together', () => {
  it('posts an alert on both; an acknowledgement from Discord, by a mapped Discord role, updates both', async () => {
    await postToSlackEndpoint(bot.url, slashCommandBody('/exceptions', 'add quote=CRM-1 account=Globex segment=smb reason="strategic logo" approved_by=Eli approved_by_role=executive owner=sam plan="renewal repricing" target_date=2027-01-31 approved_at=2026-11-08'));
    await bot.risk.tick();
    expect(slack.callsTo('chat.postMessage').map((c) => c.body.channel)).toEqual(['C0OPS00001']);
    expect(discord.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/channels/')).map((c) => c.path)).toEqual(['/channels/200000000000000001/messages']);
    // One alert, built once: each platform names the revenue manager in its own syntax.
    const slackBlocks = JSON.stringify(slack.callsTo('chat.postMessage')[0]?.body.blocks);
    const discordEmbeds = JSON.stringify(discord.calls.find((c) => c.path === '/channels/200000000000000001/messages')?.body.embeds);
    expect(slackBlocks).toContain('For: <@U0REVMGR01>');
    expect(discordEmbeds).toContain('For: <@100000000000000001>');
    expect(slackBlocks).not.toMatch(/<@1000|⟦/);
    expect(discordEmbeds).not.toMatch(/<@U0|⟦/);

    // Not in data/team.json, but holding the Discord role mapped to revenue_manager.
    const ack = interactionPayload('button', '123456789012345678', { custom_id: 'exceptions.ack:1' }, ['300000000000000001']);
    (bot.discord?.client as unknown as { actions: { InteractionCreate: { handle(d: unknown): void } } }).actions.InteractionCreate.handle(ack);
    await expect.poll(() => discord.calls.filter((c) => c.path.includes(ack.token)).length).toBe(2);
    await bot.risk.tick();
    await expect.poll(() => slack.callsTo('chat.update').length).toBe(1);
    await expect.poll(() => discord.calls.filter((c) => c.method === 'PATCH' && c.path.startsWith('/channels/')).length).toBe(1);
    expect(JSON.stringify(slack.callsTo('chat.update')[0]?.body.blocks)).toContain('Acknowledged by user78');
  });
});
