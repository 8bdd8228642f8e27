import { ClientUser, SnowflakeUtil, type Client } from 'discord.js';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DiscordCall {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  if ((req.headers['content-type'] ?? '').includes('multipart/form-data')) {
    const json = /name="payload_json"\r\n(?:[^\r\n]*\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw)?.[1];
    return json ? (JSON.parse(json) as Record<string, unknown>) : {};
  }
  return JSON.parse(raw) as Record<string, unknown>;
}

/** A stand-in for Discord's REST API on 127.0.0.1: records every call and answers like Discord. */
export async function startFakeDiscord() {
  const calls: DiscordCall[] = [];
  /** Answers for reads, set by a test: the first route matching method and path answers. */
  const routes: { method: string; path: RegExp; body: (path: string, query: URLSearchParams) => unknown }[] = [];
  let n = 1000;
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent((req.url ?? '').replace(/^\/api\/v\d+/, '').split('?')[0] ?? '');
    const call = { method: req.method ?? 'GET', path, body: await readJson(req) };
    calls.push(call);
    const route = routes.find((r) => r.method === call.method && r.path.test(path));
    if (route) {
      const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
      const answer = route.body(path, query);
      res.writeHead(answer === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer ?? { message: 'Unknown', code: 10003 }));
      return;
    }
    const id = String((n += 1));
    const channel = /^\/channels\/(\d+)\/messages/.exec(path)?.[1];
    const body =
      call.method === 'PUT' && path.includes('/commands')
        ? (call.body as unknown as unknown[])
        : path === '/users/@me/channels'
          ? { id: `9${id}`, type: 1 }
          : path.startsWith('/interactions/')
            ? null
            : { id, channel_id: channel ?? '1', content: call.body.content ?? '', embeds: call.body.embeds ?? [], components: [], type: 0, author: { id: '42', username: 'bot' }, timestamp: new Date().toISOString(), attachments: [], mentions: [], mention_roles: [], pinned: false, tts: false, mention_everyone: false, edited_timestamp: null };
    if (body === null) {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    calls,
    route: (method: string, path: RegExp, body: (path: string, query: URLSearchParams) => unknown) => routes.push({ method, path, body }),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

let seq = 5000;
const user = (id: string, username: string) => ({ id, username, global_name: username, discriminator: '0', avatar: null });

/** One raw INTERACTION_CREATE payload, as the gateway delivers it (a modal's submission is type 5). */
export function interactionPayload(kind: 'command' | 'button' | 'modal', userId: string, data: Record<string, unknown>, roles: string[] = []) {
  seq += 1;
  return {
    id: String(seq),
    application_id: '777',
    type: kind === 'command' ? 2 : kind === 'button' ? 3 : 5,
    token: `tok-${seq}`,
    version: 1,
    guild_id: '300',
    channel_id: '400',
    member: { user: user(userId, `user${userId.slice(-2)}`), roles, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, permissions: '0' },
    app_permissions: '0',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    attachment_size_limit: 8_000_000,
    data: kind === 'command' ? { id: '888', type: 1, ...data } : kind === 'button' ? { component_type: 2, ...data } : data,
    ...(kind === 'button' ? { message: { id: '600', channel_id: '400', content: '', embeds: [], components: [], type: 0, author: user('42', 'bot'), timestamp: new Date().toISOString(), attachments: [], mentions: [], mention_roles: [], pinned: false, tts: false, mention_everyone: false, edited_timestamp: null, flags: 0 } } : {}),
  };
}

export const HELP_CHANNEL = '200000000000000002';
const role = (id: string, name: string) => ({ id, name, permissions: '0', position: 1, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 });

/** What login, READY and GUILD_CREATE would leave in the client: its token, its own user, the guild's channels and roles. */
export function connectGuild(client: Client): void {
  // Internals, as the gateway's own handlers use them; typed loosely because discord.js keeps them private.
  const loose = client as unknown as { user: unknown; guilds: { _add(d: unknown): void } };
  const Ctor = ClientUser as unknown as new (c: Client, d: unknown) => ClientUser;
  loose.user = new Ctor(client, { id: '42', username: 'bot', discriminator: '0', avatar: null, bot: true });
  client.rest.setToken('discord-test-token'); // as login() does
  loose.guilds._add({
    id: '300', name: 'Community', owner_id: '100000000000000002',
    roles: [role('300', '@everyone'), role('300000000000000001', 'Revenue'), role('300000000000000011', 'Starter'), role('300000000000000012', 'Pro'), role('300000000000000013', 'Enterprise'), role('300000000000000021', 'Support')],
    channels: [
      { id: '200000000000000001', type: 0, name: 'ops', guild_id: '300', position: 0, permission_overwrites: [] },
      { id: HELP_CHANNEL, type: 0, name: 'help', guild_id: '300', position: 1, permission_overwrites: [] },
      { id: '200000000000000003', type: 0, name: 'community', guild_id: '300', position: 2, permission_overwrites: [] },
    ],
    members: [], threads: [],
  });
}

/** One raw MESSAGE_CREATE, as the gateway sends it without the MessageContent intent: content empty, id minted at `at`. */
export function messagePayload(m: { at: Date; authorId: string; name?: string; roles?: string[]; channelId?: string; replyTo?: string; id?: string }) {
  return {
    id: m.id ?? SnowflakeUtil.generate({ timestamp: m.at }).toString(),
    channel_id: m.channelId ?? HELP_CHANNEL,
    guild_id: '300',
    author: user(m.authorId, m.name ?? `user${m.authorId.slice(-2)}`),
    member: { roles: m.roles ?? [], joined_at: '2026-01-01T00:00:00Z', deaf: false, mute: false, flags: 0 },
    content: '',
    timestamp: m.at.toISOString(),
    edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], pinned: false,
    type: m.replyTo ? 19 : 0,
    ...(m.replyTo ? { message_reference: { type: 0, message_id: m.replyTo, channel_id: m.channelId ?? HELP_CHANNEL, guild_id: '300' } } : {}),
  };
}

/** A thread started from a message in the help channel: it takes that message's id. */
export function threadPayload(id: string, parentId = HELP_CHANNEL) {
  return { id, type: 11, guild_id: '300', parent_id: parentId, name: 'question', owner_id: '555', message_count: 0, member_count: 1, newly_created: true, thread_metadata: { archived: false, auto_archive_duration: 1440, locked: false, create_timestamp: new Date().toISOString() } };
}

type GatewayEvent = 'INTERACTION_CREATE' | 'MESSAGE_CREATE' | 'MESSAGE_DELETE' | 'THREAD_CREATE';
const ACTION: Record<GatewayEvent, string> = { INTERACTION_CREATE: 'InteractionCreate', MESSAGE_CREATE: 'MessageCreate', MESSAGE_DELETE: 'MessageDelete', THREAD_CREATE: 'ThreadCreate' };

/** Feeds one gateway dispatch through the real client's own handler for it (discord.js is pinned to 14.25 for this). */
export function feedGateway(client: Client, event: GatewayEvent, data: unknown): void {
  const actions = (client as unknown as { actions: Record<string, { handle(d: unknown): void }> }).actions;
  actions[ACTION[event]]?.handle(data);
}

/** One interaction through a started bot's real discord.js client, as the gateway would deliver it. */
export function feedInteraction(bot: { discord?: { client: unknown } }, payload: unknown): void {
  if (!bot.discord) throw new Error('the bot has no Discord adapter');
  feedGateway(bot.discord.client as Client, 'INTERACTION_CREATE', payload);
}

/** The environment that turns Discord on against the fake at `url`. */
export const discordEnv = (url: string) => ({ DISCORD_TOKEN: 'discord-test-token', DISCORD_APP_ID: '777', DISCORD_API_URL: url });

/** A modal's submission: one text input per field, as Discord sends them back in action rows. */
export function modalSubmitPayload(userId: string, customId: string, values: Record<string, string>) {
  return interactionPayload('modal', userId, {
    custom_id: customId,
    components: Object.entries(values).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] })),
  });
}
