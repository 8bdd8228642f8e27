import { schedules } from '../../../schedules/index.js';
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { dispatchCommand } from '../../core/dispatch.js';
import { commandContext, type Services } from '../../core/services.js';
import type { Actor } from '../../domain/actor.js';
import type { Reply } from '../../reply/reply.js';
import { recordUsage, toUsageEvent } from '../../budget/ingest.js';
import { UserError } from '../../core/errors.js';
import type { InputSource } from '../../core/input-types.js';
import { requireToken } from './auth.js';
import { busyReply } from '../../core/busy-answer.js';
import { DatabaseBusyError, retryWhileBusy } from '../../store/busy.js';
import { healthRoutes } from './health.js';
import { proposalFieldsFromJson } from '../../deal-desk/proposal-input.js';

const MAX_USAGE_BATCH = 1000;
const MAX_BODY_BYTES = 1024 * 1024;

const STATUS_BY_CODE: Record<string, 400 | 403 | 404 | 409 | 500 | 503> = {
  invalid_input: 400,
  unknown_command: 404,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  internal: 500,
  busy: 503,
};

function apiActor(c: Context): Actor {
  const id = c.req.header('x-actor-id')?.slice(0, 64);
  const name = c.req.header('x-actor-name')?.slice(0, 80);
  return { platform: 'http', userId: id ?? 'api', name: name ?? id ?? 'HTTP API', role: 'sales_rep' };
}

/** A request body and how its values are typed: JSON keeps its types, form fields are text. */
type Body<T> = { values: T; source: InputSource } | null;

async function readBody(c: Context, allowArray: true): Promise<Body<Record<string, unknown> | unknown[]>>;
async function readBody(c: Context): Promise<Body<Record<string, unknown>>>;
async function readBody(c: Context, allowArray = false): Promise<Body<Record<string, unknown> | unknown[]>> {
  const type = c.req.header('content-type') ?? '';
  try {
    if (type.includes('application/json')) {
      const body: unknown = await c.req.json();
      if (Array.isArray(body)) return allowArray ? { values: body, source: 'json' } : null;
      return body && typeof body === 'object' ? { values: body as Record<string, unknown>, source: 'json' } : null;
    }
    if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
      return { values: Object.fromEntries(Object.entries(await c.req.parseBody()).filter(([, v]) => typeof v === 'string')), source: 'text' };
    }
  } catch {
    return null;
  }
  return null;
}

function send(c: Context, reply: Reply, okStatus: 200 | 201 = 200) {
  if (reply.error) {
    const status = STATUS_BY_CODE[reply.error.code] ?? 400;
    // A busy database is a passing state: tell well-behaved clients when to try again.
    if (reply.error.code === 'busy') c.header('Retry-After', '2');
    return c.json({ error: reply.error.code, message: reply.summary, field: reply.error.field, allowed: reply.error.allowed, ref: reply.error.ref }, status);
  }
  return c.json(reply.data ?? { summary: reply.summary }, okStatus);
}

/** The HTTP API: a thin adapter over the same commands the chat surfaces dispatch. */
export function createApi(services: Services): Hono {
  const api = new Hono();
  const { config } = services;

  // /healthz answers without a token, for systemd and monitoring.
  api.route('/', healthRoutes(services));
  api.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ error: 'too_large', message: `Send at most ${MAX_BODY_BYTES / 1024 / 1024} MB in one request.` }, 413),
    }),
  );
  if (config.apiToken) api.use('/api/*', requireToken(config.apiToken));

  // Prometheus scrapes behind the same token as the API; its figures are read at scrape time.
  // prom-client loads on the first scrape, so a bot nobody scrapes never pays for it.
  let metrics: Promise<ReturnType<typeof import('../../metrics/registry.js').createMetrics>> | undefined;
  if (config.apiToken) api.use('/metrics', requireToken(config.apiToken));
  api.get('/metrics', async (c) => {
    metrics ??= import('../../metrics/registry.js').then((m) => m.createMetrics(services, schedules.map((s) => s.name)));
    const m = await metrics;
    return c.body(await m.scrape(), 200, { 'content-type': m.registry.contentType });
  });

  const run = async (c: Context, command: string, fields: Record<string, unknown>, source: InputSource) => {
    const key = c.req.header('idempotency-key');
    const ctx = commandContext(services, apiActor(c), 'api', {
      command,
      requestId: randomUUID(),
      idempotencyKey: key ? `http:${key.slice(0, 200)}` : undefined,
    });
    return dispatchCommand(services.registry, command, { fields, source }, ctx);
  };

  api.post('/api/pricing/quote', async (c) => {
    const body = await readBody(c);
    if (!body) {
      return c.json({ error: 'invalid_input', message: 'Send the quote as a JSON object or as form fields.' }, 400);
    }
    return send(c, await run(c, 'quote', body.values, body.source));
  });

  // A quote's life (issue 11): the list, one quote with its history, and the moves a person makes.
  // Who sees and moves what is the commands' rule: X-Actor-Id names a team person only with API_TOKEN.
  api.get('/api/pricing/quotes', async (c) => send(c, await run(c, 'quotes', c.req.query(), 'text')));
  api.get('/api/pricing/quotes/:id', async (c) => send(c, await run(c, 'quote show', { id: c.req.param('id') }, 'text')));
  for (const move of ['send', 'won', 'lost'] as const) {
    api.post(`/api/pricing/quotes/:id/${move}`, async (c) => {
      const body = (await readBody(c)) ?? { values: {}, source: 'text' as const };
      return send(c, await run(c, `quote ${move}`, { ...body.values, id: c.req.param('id') }, body.source));
    });
  }

  // Proposals (issue 11 §3): the options arrive as a JSON array and are handed to /proposal as
  // its per-tag fields, each checked first with its JSON types kept.
  api.post('/api/pricing/proposals', async (c) => {
    const body = await readBody(c);
    if (!body) return c.json({ error: 'invalid_input', message: 'Send the proposal as a JSON object with an `options` array.' }, 400);
    let fields: Record<string, unknown>;
    try {
      fields = body.source === 'json' ? proposalFieldsFromJson(services.catalog, body.values) : body.values;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return c.json({ error: error.code, message: error.message, field: error.details.field }, 400);
    }
    return send(c, await run(c, 'proposal', fields, body.source), 201);
  });
  api.get('/api/pricing/proposals', async (c) => send(c, await run(c, 'proposal list', c.req.query(), 'text')));
  api.get('/api/pricing/proposals/:id', async (c) => send(c, await run(c, 'proposal show', { proposal: c.req.param('id') }, 'text')));

  api.get('/api/pricing/report', async (c) => send(c, await run(c, 'report', c.req.query(), 'text')));

  // The pricing policy's versions (issue 12 §1): anyone may read them; /policy's data is the JSON.
  api.get('/api/pricing/policy', async (c) => send(c, await run(c, 'policy', {}, 'text')));
  api.get('/api/pricing/policy/history', async (c) => send(c, await run(c, 'policy history', c.req.query(), 'text')));
  api.get('/api/pricing/policy/diff', async (c) => send(c, await run(c, 'policy diff', c.req.query(), 'text')));
  api.get('/api/pricing/policy/versions/:id', async (c) => send(c, await run(c, 'policy show', { version: c.req.param('id') }, 'text')));

  api.post('/api/exceptions', async (c) => {
    const body = await readBody(c);
    if (!body) return c.json({ error: 'invalid_input', message: 'Send the exception as a JSON object or as form fields.' }, 400);
    const reply = await run(c, 'exceptions add', body.values, body.source);
    const data = reply.data as { status?: string; rejection_reason?: string } | undefined;
    // An exception without a recovery plan is recorded for audit, and refused.
    if (!reply.error && data?.status === 'rejected') {
      return c.json({ status: 'rejected', reason: data.rejection_reason, exception: data }, 422);
    }
    return send(c, reply, 201);
  });
  api.get('/api/exceptions', async (c) => send(c, await run(c, 'exceptions list', c.req.query(), 'text')));
  api.get('/api/exceptions/risk', async (c) => send(c, await run(c, 'exceptions risk', c.req.query(), 'text')));
  for (const action of ['progress', 'close'] as const) {
    api.post(`/api/exceptions/:id/${action}`, async (c) => {
      const body = (await readBody(c)) ?? { values: {}, source: 'text' as const };
      // The id comes from the path, which is text whatever the body is.
      return send(c, await run(c, `exceptions ${action}`, { ...body.values, id: c.req.param('id') }, body.source));
    });
  }

  // The deal desk's decision on a quote waiting for approval (issue 11 §2): the actor is X-Actor-Id,
  // a team id, trusted only behind API_TOKEN; 404 for an unknown quote, 409 for one not awaiting the desk.
  const DESK_DECISIONS = ['approve', 'changes', 'decline'] as const;
  api.post('/api/pricing/quotes/:id/decision', async (c) => {
    const body = await readBody(c);
    if (!body) return c.json({ error: 'invalid_input', message: 'Send the decision as a JSON object or as form fields.' }, 400);
    const { decision, ...rest } = body.values;
    const sub = DESK_DECISIONS.find((d) => d === decision);
    if (!sub) {
      return c.json({ error: 'invalid_input', message: `\`decision\` must be one of: ${DESK_DECISIONS.join(', ')}.`, field: 'decision', allowed: DESK_DECISIONS.join(', ') }, 400);
    }
    return send(c, await run(c, `desk ${sub}`, { ...rest, quote: c.req.param('id') }, body.source));
  });

  api.get('/api/community/questions', async (c) => send(c, await run(c, 'community list', {}, 'text')));
  api.get('/api/community/stats', async (c) => send(c, await run(c, 'community stats', c.req.query(), 'text')));

  api.get('/api/pricing/health', async (c) => send(c, await run(c, 'budget health', {}, 'text')));
  api.get('/api/orchestrator/status', async (c) => send(c, await run(c, 'budget status', {}, 'text')));

  api.post('/api/usage', async (c) => {
    const body = await readBody(c, true);
    const items = !body ? null : Array.isArray(body.values) ? body.values : [body.values];
    if (!items || items.length === 0 || items.length > MAX_USAGE_BATCH) {
      return c.json({ error: 'invalid_input', message: `Send one usage event as a JSON object, or up to ${MAX_USAGE_BATCH} as an array.` }, 400);
    }
    const env = { db: services.db, catalog: services.catalog, config, platforms: services.platforms, now: services.clock() };
    const events: ReturnType<typeof toUsageEvent>[] = [];
    for (const [index, item] of items.entries()) {
      try {
        events.push(toUsageEvent(env, item, body?.source ?? 'json'));
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        // One bad event refuses the batch, so a sender never has to work out which half was kept.
        return c.json({ error: 'invalid_input', message: `Event ${index}: ${error.message}`, index, field: error.details.field }, 400);
      }
    }
    // One transaction, idempotent by event key: safe to run again while another process holds the lock.
    const result = await retryWhileBusy(() => recordUsage(env, events));
    services.notify?.();
    return c.json({ accepted: result.accepted, duplicates: result.duplicates, signals: result.signals });
  });

  api.notFound((c) => c.json({ error: 'not_found', message: `No route for ${c.req.method} ${c.req.path}.` }, 404));
  api.onError((error, c) => {
    // Middleware (auth, body limit) answers by throwing; those are answers, not failures.
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof DatabaseBusyError) return send(c, busyReply());
    const ref = randomUUID().slice(0, 8);
    services.log.error({ err: error, ref }, 'http api error');
    return c.json({ error: 'internal', message: `Something went wrong (ref ${ref}).`, ref }, 500);
  });
  return api;
}
