import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { discordEnv, feedInteraction, interactionPayload, startFakeDiscord } from '../helpers/fake-discord.js';

const MARIA = '100000000000000001'; // revenue_manager in data/team.json
const SAM = '100000000000000003'; // sales_rep
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

describe('Discord through the real discord.js client', () => {
  it('defers a slash command ephemerally, then edits in the quote as an embed', async () => {
    const p = interactionPayload('command', SAM, {
      name: 'quote',
      options: [{ type: 1, name: 'run', options: [
        { name: 'complexity', type: 3, value: 'medium' }, { name: 'segment', type: 3, value: 'smb' },
        { name: 'input', type: 4, value: 2000 }, { name: 'output', type: 4, value: 800 },
      ] }],
    });
    feed(p);
    await expect.poll(() => callsFor(p.token).length).toBe(2);
    const [defer, edit] = callsFor(p.token);
    expect(defer).toMatchObject({ method: 'POST', path: `/interactions/${p.id}/${p.token}/callback`, body: { type: 5, data: { flags: 64 } } });
    expect(edit).toMatchObject({ method: 'PATCH', path: `/webhooks/777/${p.token}/messages/@original`, body: { content: 'Quote Q-00001: $0.50, margin 99.28%, approved' } });
    expect(JSON.stringify(edit?.body.embeds)).toContain('4.0x medium − 0.5x smb = 3.5x');
    expect(bot.services.db.prepare('SELECT platform, user_id FROM quotes').all()).toEqual([{ platform: 'discord', user_id: SAM }]);
  });

  it('answers a bad option politely, and a subcommand by its path', async () => {
    const bad = interactionPayload('command', SAM, { name: 'quote', options: [{ type: 1, name: 'run', options: [{ name: 'complexity', type: 3, value: 'huge' }] }] });
    feed(bad);
    await expect.poll(() => callsFor(bad.token).length).toBe(2);
    expect(callsFor(bad.token)[1]?.body.content).toContain('`complexity` must be one of low, medium, high');
    const team = interactionPayload('command', MARIA, { name: 'team' });
    feed(team);
    await expect.poll(() => callsFor(team.token).length).toBe(2);
    expect(JSON.stringify(callsFor(team.token)[1]?.body)).toContain('You are Maria Lopez, revenue_manager.');
  });

  it('posts an alert to the Discord ops channel; a rep’s Acknowledge is refused, a manager’s recorded and the message updated', async () => {
    const add = interactionPayload('command', SAM, { name: 'exceptions', options: [{ type: 1, name: 'add', options: [
      { name: 'quote', type: 3, value: 'CRM-5' }, { name: 'reason', type: 3, value: 'strategic logo' }, { name: 'approved_by', type: 3, value: 'Eli' },
      { name: 'approved_by_role', type: 3, value: 'executive' }, { name: 'owner', type: 3, value: 'sam' }, { name: 'plan', type: 3, value: 'renewal repricing' },
      { name: 'target_date', type: 3, value: '2027-01-31' }, { name: 'account', type: 3, value: 'Globex' }, { name: 'segment', type: 3, value: 'smb' },
      { name: 'approved_at', type: 3, value: '2026-11-08' },
    ] }] });
    feed(add);
    await expect.poll(() => callsFor(add.token).length).toBe(2);
    await bot.risk.tick();
    const posted = discord.calls.find((c) => c.method === 'POST' && c.path === '/channels/200000000000000001/messages');
    expect(posted?.body.content).toMatch(/^\[Exception Risk: warning\] EX-00001 Globex \(smb\) is 14 days old/);
    expect(JSON.stringify(posted?.body.components)).toContain('"custom_id":"exceptions.ack:1"');
    expect(JSON.stringify(posted?.body.embeds)).toContain('<@100000000000000001>');

    const refused = interactionPayload('button', SAM, { custom_id: 'exceptions.ack:1' });
    feed(refused);
    await expect.poll(() => callsFor(refused.token).length).toBe(2);
    expect(callsFor(refused.token)[1]?.body.content).toContain('Only a revenue manager or an executive can acknowledge');

    const ack = interactionPayload('button', MARIA, { custom_id: 'exceptions.ack:1' });
    feed(ack);
    await expect.poll(() => callsFor(ack.token).length).toBe(2);
    await bot.risk.tick();
    await expect.poll(() => discord.calls.filter((c) => c.method === 'PATCH' && c.path.startsWith('/channels/')).length).toBe(1);
    const update = discord.calls.find((c) => c.method === 'PATCH' && c.path.startsWith('/channels/'));
    expect(JSON.stringify(update?.body.embeds)).toContain('Acknowledged by Maria Lopez');
    expect(bot.services.db.prepare('SELECT ack_platform, ack_user_name FROM alerts WHERE id = 1').get()).toEqual({ ack_platform: 'discord', ack_user_name: 'Maria Lopez' });
  });
});
