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
  let n = 1000;
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent((req.url ?? '').replace(/^\/api\/v\d+/, '').split('?')[0] ?? '');
    const call = { method: req.method ?? 'GET', path, body: await readJson(req) };
    calls.push(call);
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
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

let seq = 5000;
const user = (id: string, username: string) => ({ id, username, global_name: username, discriminator: '0', avatar: null });

/** One raw INTERACTION_CREATE payload, as the gateway delivers it. */
export function interactionPayload(kind: 'command' | 'button', userId: string, data: Record<string, unknown>, roles: string[] = []) {
  seq += 1;
  return {
    id: String(seq),
    application_id: '777',
    type: kind === 'command' ? 2 : 3,
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
    data: kind === 'command' ? { id: '888', type: 1, ...data } : { component_type: 2, ...data },
    ...(kind === 'button' ? { message: { id: '600', channel_id: '400', content: '', embeds: [], components: [], type: 0, author: user('42', 'bot'), timestamp: new Date().toISOString(), attachments: [], mentions: [], mention_roles: [], pinned: false, tts: false, mention_everyone: false, edited_timestamp: null, flags: 0 } } : {}),
  };
}
