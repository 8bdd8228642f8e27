import { Events, GatewayIntentBits, IntentsBitField } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discordIntents } from '../../src/adapters/discord/app.js';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { connectGuild, feedGateway, HELP_CHANNEL, interactionPayload, messagePayload, startFakeDiscord, threadPayload } from '../helpers/fake-discord.js';

const MARIA = '100000000000000001'; // revenue_manager, listed in data/team.json
const ELI = '100000000000000002'; // executive sponsor
const ASKER = '555000000000000055';
const PRO = '300000000000000012';
const ENTERPRISE = '300000000000000013';
const SUPPORT = '300000000000000021'; // a team role in data/team.json
const OPS = '/channels/200000000000000001/messages';
const T0 = new Date('2026-11-22T15:00:00Z'); // Sunday 10:00 in New York: no scheduled post is due
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let discord: Awaited<ReturnType<typeof startFakeDiscord>>;
let bot: RunningBot;
let now = T0;

beforeEach(async () => {
  now = T0;
  discord = await startFakeDiscord();
  bot = await startBot(testConfig({ PORT: '0', DISCORD_TOKEN: 'discord-test-token', DISCORD_APP_ID: '777', DISCORD_API_URL: discord.url, RISK_TICK_SECONDS: '3600' }), silentLog, { clock: () => now, skipDiscordLogin: true });
  await bot.risk.idle();
  connectGuild(client());
});
afterEach(async () => {
  await bot.stop();
  await discord.close();
});

const client = () => {
  if (!bot.discord) throw new Error('Discord is not running');
  return bot.discord.client;
};
const db = () => bot.services.db;
const posts = (path = OPS) => discord.calls.filter((c) => c.method === 'POST' && c.path === path);
const edits = () => discord.calls.filter((c) => c.method === 'PATCH' && c.path.startsWith('/channels/'));
/** The clock moves; the risk loop's tick runs and whatever it queued is delivered. */
async function at(minutes: number) {
  now = later(minutes);
  await bot.risk.tick();
  await bot.risk.idle();
}
async function command(userId: string, data: Record<string, unknown>) {
  const p = interactionPayload('command', userId, data);
  feedGateway(client(), 'INTERACTION_CREATE', p);
  await expect.poll(() => discord.calls.filter((c) => c.path.includes(p.token)).length).toBe(2);
  return discord.calls.filter((c) => c.path.includes(p.token))[1]?.body ?? {};
}

describe('intents: only what the help queue needs', () => {
  it('asks for Guilds and GuildMessages when a help channel is watched, and no privileged intent', () => {
    const intents = client().options.intents;
    expect(intents.has(GatewayIntentBits.Guilds)).toBe(true);
    expect(intents.has(GatewayIntentBits.GuildMessages)).toBe(true);
    for (const privileged of [GatewayIntentBits.MessageContent, GatewayIntentBits.GuildMembers, GatewayIntentBits.GuildPresences]) {
      expect(intents.has(privileged)).toBe(false);
    }
    expect(new IntentsBitField(discordIntents(false)).toArray()).toEqual(['Guilds']);
  });
});

describe('the help channel’s SLA, with the real discord.js client and a fake clock', () => {
  it('a Pro question warns at 8h, pages at 16h; a team Reply settles both alerts and nothing escalates', async () => {
    const question = messagePayload({ at: T0, authorId: ASKER, name: 'Ada', roles: [PRO] });
    feedGateway(client(), 'MESSAGE_CREATE', question);
    expect(db().prepare('SELECT seq, plan, sla_minutes, status, asked_at FROM community_questions').all()).toEqual([
      { seq: 1, plan: 'pro', sla_minutes: 480, status: 'open', asked_at: T0.toISOString() },
    ]);
    expect(db().prepare('SELECT level FROM alerts').all()).toEqual([{ level: 'ok' }]); // the digest, no post

    await at(8 * 60 - 1);
    expect(posts()).toHaveLength(0);

    await at(8 * 60);
    expect(posts()).toHaveLength(1);
    const warning = posts()[0]?.body ?? {};
    expect(warning.content).toBe('[Community SLA: warning] CQ-00001 from Ada (pro plan, first answer within 8h) has waited 8h 00m with no answer from the team | Next action: answer_in_help_channel_now');
    expect(JSON.stringify(warning.embeds)).toContain(`https://discord.com/channels/300/${HELP_CHANNEL}/${question.id}`);
    expect(JSON.stringify(warning.embeds)).toContain(`<@${MARIA}>`);
    expect(JSON.stringify(warning.components)).toContain('"custom_id":"exceptions.ack:2"');

    // The asker's own follow-up is not an answer.
    feedGateway(client(), 'MESSAGE_CREATE', messagePayload({ at: later(9 * 60), authorId: ASKER, roles: [PRO], replyTo: question.id }));
    await at(16 * 60);
    expect(posts()).toHaveLength(2);
    expect(posts()[1]?.body.content).toMatch(/^\[Community SLA: critical\] CQ-00001 .* has waited 16h 00m .*\| Next action: manager_answers_and_reviews_coverage$/);
    expect(posts('/users/@me/channels').map((c) => c.body)).toEqual([{ recipient_id: ELI }]); // the sponsor is paged

    feedGateway(client(), 'MESSAGE_CREATE', messagePayload({ at: later(16 * 60 + 10), authorId: MARIA, roles: [], replyTo: question.id }));
    expect(db().prepare('SELECT status, first_answer_by_name, first_answer_at FROM community_questions').get()).toEqual({
      status: 'answered', first_answer_by_name: 'Maria Lopez', first_answer_at: later(16 * 60 + 10).toISOString(),
    });
    await at(16 * 60 + 11);
    // Every posted copy (warning, critical in ops, the sponsor's DM) now says it was answered, without a button.
    await expect.poll(() => edits().length).toBe(3);
    for (const e of edits()) {
      expect(JSON.stringify(e.body.embeds)).toContain('Resolved: answered by Maria Lopez');
      expect(JSON.stringify(e.body.components ?? [])).not.toContain('exceptions.ack');
    }

    await at(16 * 60 + 45); // past the 30-minute acknowledgement deadline
    expect(db().prepare('SELECT COUNT(*) AS n FROM alerts WHERE escalated_at IS NOT NULL').get()).toEqual({ n: 0 });
    expect(posts()).toHaveLength(2);
  });

  it('an Enterprise question answered in its thread by a support-role member within the hour never alerts; /community shows the wait', async () => {
    const question = messagePayload({ at: T0, authorId: ASKER, name: 'Ada', roles: [ENTERPRISE] });
    feedGateway(client(), 'MESSAGE_CREATE', question);
    now = later(30);
    const listed = await command(MARIA, { name: 'community' });
    expect(listed.content).toBe('1 open help question(s), 0 past their SLA');
    expect(JSON.stringify(listed.embeds)).toMatch(/CQ-00001.*Ada.*enterprise \(1h\).*30m.*ok/);

    feedGateway(client(), 'THREAD_CREATE', threadPayload(question.id));
    feedGateway(client(), 'MESSAGE_CREATE', messagePayload({ at: later(40), authorId: '777000000000000077', name: 'Sky', roles: [SUPPORT], channelId: question.id }));
    expect(db().prepare('SELECT status, first_answer_by_name FROM community_questions').get()).toEqual({ status: 'answered', first_answer_by_name: 'Sky' });
    await at(5 * 60);
    expect(posts()).toHaveLength(0);
    expect((await command(MARIA, { name: 'community' })).content).toBe('No open questions in the help channel.');
  });

  it('a deleted question closes and alerts no one; messages outside the help channel are not read', async () => {
    const question = messagePayload({ at: T0, authorId: ASKER });
    feedGateway(client(), 'MESSAGE_CREATE', question);
    feedGateway(client(), 'MESSAGE_CREATE', messagePayload({ at: later(1), authorId: ASKER, channelId: '200000000000000003' }));
    expect(db().prepare('SELECT COUNT(*) AS n FROM community_questions').get()).toEqual({ n: 1 });
    feedGateway(client(), 'MESSAGE_DELETE', { id: question.id, channel_id: HELP_CHANNEL, guild_id: '300' });
    expect(db().prepare('SELECT status, close_reason FROM community_questions').get()).toEqual({ status: 'closed', close_reason: 'deleted in Discord' });
    await at(50 * 60);
    expect(posts()).toHaveLength(0);
  });

  it('a rep cannot close a question by hand; a revenue manager can', async () => {
    feedGateway(client(), 'MESSAGE_CREATE', messagePayload({ at: T0, authorId: ASKER }));
    const close = { name: 'community', options: [{ type: 1, name: 'close', options: [{ name: 'id', type: 3, value: 'CQ-00001' }, { name: 'reason', type: 3, value: 'answered on the office-hours call' }] }] };
    expect((await command('100000000000000003', close)).content).toContain('Only a revenue manager or an executive can close a question');
    expect((await command(MARIA, close)).content).toBe('CQ-00001 from user55 closed: answered on the office-hours call.');
    expect(db().prepare('SELECT status, closed_by_name FROM community_questions').get()).toEqual({ status: 'closed', closed_by_name: 'Maria Lopez' });
  });

  it('at start, reads back what was asked and answered while the bot was down, and records it once', async () => {
    now = later(3 * 60);
    /** REST messages carry no member: strip it, as Discord does. */
    const rest = (m: ReturnType<typeof messagePayload>) => {
      const { member: _member, ...message } = m;
      return message;
    };
    const old = messagePayload({ at: later(-3 * 24 * 60), authorId: ASKER, name: 'Ada' }); // before the 48h look-back
    const q1 = messagePayload({ at: T0, authorId: ASKER, name: 'Ada' });
    const a1 = messagePayload({ at: later(30), authorId: MARIA, name: 'maria', replyTo: q1.id });
    const q2 = messagePayload({ at: later(60), authorId: '556000000000000056', name: 'Bo' });
    const a2 = messagePayload({ at: later(90), authorId: '777000000000000077', name: 'Sky', channelId: q2.id });
    const q3 = messagePayload({ at: later(120), authorId: '557000000000000057', name: 'Cy' });
    const roles: Record<string, string[]> = { [ASKER]: [PRO], '556000000000000056': [ENTERPRISE], '777000000000000077': [SUPPORT], [MARIA]: [], '557000000000000057': [] };
    const after = (list: ReturnType<typeof messagePayload>[], query: URLSearchParams) =>
      list.filter((m) => BigInt(m.id) > BigInt(query.get('after') ?? '0')).reverse().map(rest); // newest first, like Discord
    discord.route('GET', new RegExp(`^/channels/${HELP_CHANNEL}/messages$`), (_p, q) => after([old, q1, a1, q2, q3], q));
    discord.route('GET', /^\/guilds\/300\/threads\/active$/, () => ({ threads: [threadPayload(q2.id)], members: [] }));
    discord.route('GET', new RegExp(`^/channels/${q2.id}/messages$`), (_p, q) => after([a2], q));
    discord.route('GET', /^\/guilds\/300\/members\/\d+$/, (path) => {
      const id = path.split('/').at(-1) ?? '';
      return { user: { id, username: `u${id.slice(-2)}`, discriminator: '0', avatar: null }, roles: roles[id] ?? [], joined_at: '2026-01-01T00:00:00Z', deaf: false, mute: false, flags: 0 };
    });

    client().emit(Events.ClientReady, client() as never);

    // Three questions, not four: the one asked three days ago is older than the look-back.
    await expect.poll(() => db().prepare('SELECT COUNT(*) AS n FROM community_questions').get()).toEqual({ n: 3 });
    await expect.poll(() => db().prepare("SELECT COUNT(*) AS n FROM community_questions WHERE status = 'answered'").get()).toEqual({ n: 2 });
    expect(db().prepare('SELECT seq, asker_name, plan, status, asked_at, first_answer_by_name, first_answer_at FROM community_questions ORDER BY seq').all()).toEqual([
      { seq: 1, asker_name: 'Ada', plan: 'pro', status: 'answered', asked_at: T0.toISOString(), first_answer_by_name: 'Maria Lopez', first_answer_at: later(30).toISOString() },
      { seq: 2, asker_name: 'Bo', plan: 'enterprise', status: 'answered', asked_at: later(60).toISOString(), first_answer_by_name: 'Sky', first_answer_at: later(90).toISOString() },
      { seq: 3, asker_name: 'Cy', plan: 'unknown', status: 'open', asked_at: later(120).toISOString(), first_answer_by_name: null, first_answer_at: null },
    ]);
    // Each author's roles are fetched once; the Enterprise question answered 30 minutes in never alerted.
    expect(discord.calls.filter((c) => c.path.startsWith('/guilds/300/members/')).map((c) => c.path).sort()).toEqual(
      [ASKER, MARIA, '556000000000000056', '557000000000000057', '777000000000000077'].map((id) => `/guilds/300/members/${id}`).sort(),
    );
    expect(db().prepare("SELECT COUNT(*) AS n FROM alerts WHERE level != 'ok'").get()).toEqual({ n: 0 });
  });
});
