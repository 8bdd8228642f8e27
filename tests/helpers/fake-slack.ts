import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
}

type Responder = (call: SlackCall) => { status?: number; headers?: Record<string, string>; body: Record<string, unknown> } | undefined;

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const params = Object.fromEntries(new URLSearchParams(raw));
  // The Web API client sends nested arguments (blocks, view) as JSON strings in a form body.
  for (const [k, v] of Object.entries(params)) {
    if (/^[[{]/.test(v)) {
      try {
        params[k] = JSON.parse(v);
      } catch {
        // leave as text
      }
    }
  }
  return params;
}

/** A stand-in for Slack's Web API on 127.0.0.1: records every call and answers ok. */
export async function startFakeSlack() {
  const calls: SlackCall[] = [];
  let responder: Responder = () => undefined;
  const server = createServer(async (req, res) => {
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const call = { method, body: await readBody(req) };
    calls.push(call);
    const custom = responder(call);
    const body =
      custom?.body ??
      (method === 'auth.test'
        ? { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'j1msky' }
        : method === 'chat.postMessage' || method === 'chat.update'
          ? { ok: true, channel: call.body.channel, ts: `${Date.now() / 1000}` }
          : { ok: true });
    res.writeHead(custom?.status ?? 200, { 'content-type': 'application/json', ...custom?.headers });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    respondWith: (r: Responder) => {
      responder = r;
    },
    // Bolt's client keeps connections alive; without closing them, close() waits ~3 s for them to idle out.
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
