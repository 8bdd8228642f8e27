import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../src/adapters/http/api.js';
import { startHttpServer } from '../../src/adapters/http/server.js';
import type { Db } from '../../src/store/open.js';
import { seedCatalog } from '../helpers/seed.js';
import { silentLog, testBed, testConfig } from '../helpers/context.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function startApi(env: Record<string, string> = {}, db?: Db) {
  const bed = testBed({ config: testConfig(env), db });
  let now = new Date('2026-11-22T14:00:00Z');
  const services = { registry: bed.registry, db: bed.db, config: bed.config, catalog: seedCatalog, log: silentLog, clock: () => now, platforms: [] };
  const http = await startHttpServer({ host: '127.0.0.1', port: 0, api: createApi(services) });
  closers.push(http.close);
  return { ...bed, url: http.url, setClock: (d: Date) => (now = d) };
}

const worksheet = { model: 'k2p5', complexity: 'medium', segment: 'smb', estimated_input: 2000, estimated_output: 800 };
const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/pricing/quote`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('HTTP API', () => {
  it('prices a quote from JSON with every documented field', async () => {
    const api = await startApi();
    const res = await postJson(api.url, worksheet);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    for (const key of ['quote_id', 'model', 'segment', 'complexity', 'delivery_type', 'internal_cost', 'base_markup', 'segment_adjustment', 'final_markup', 'recommended_price', 'discount_pct', 'final_price', 'gross_margin_pct', 'margin_threshold_pct', 'guardrail', 'decision_status', 'reasons', 'approver', 'policy_version']) {
      expect(body).toHaveProperty(key);
    }
    expect(body).toMatchObject({ final_price: 0.5, internal_cost: 0.0036, gross_margin_pct: 99.28, decision_status: 'approved', delivery_type: 'task' });
    expect(api.count()).toBe(1);
  });

  it('prices a quote from a form post', async () => {
    const api = await startApi();
    const res = await fetch(`${api.url}/api/pricing/quote`, {
      method: 'POST',
      body: new URLSearchParams({ ...worksheet, estimated_input: '2000', estimated_output: '800', discount_pct: '25', delivery_type: 'subscription' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ decision_status: 'escalated', approver: 'revenue_lead', delivery_type: 'subscription', discount_pct: 25 });
  });

  it.each([
    [{ ...worksheet, complexity: 'huge' }, 'complexity', 'one of low, medium, high'],
    [{ ...worksheet, estimated_input: -1 }, 'estimated_input', 'a whole number from 0 to 100000000'],
    [{ ...worksheet, surprise: 1 }, 'surprise', 'model, complexity, segment, estimated_input, estimated_output, delivery_type, discount_pct, account, sla, scope_growth_pct, scope'],
  ])('answers 400 naming the field for %j', async (body, field, allowed) => {
    const api = await startApi();
    const res = await postJson(api.url, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_input', field, allowed });
    expect(api.count()).toBe(0);
  });

  it('answers 400 to a body that is not an object', async () => {
    const api = await startApi();
    expect((await postJson(api.url, [1, 2])).status).toBe(400);
    const res = await fetch(`${api.url}/api/pricing/quote`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
    expect(api.count()).toBe(0);
  });

  it.each([
    [{ ...worksheet, estimated_input: '2000' }, 'estimated_input', /`estimated_input` must be a whole number .* sent as a JSON number; you gave `"2000"`/],
    [{ ...worksheet, discount_pct: 150 }, 'discount_pct', /`discount_pct` must be a number from 0 to 100; you gave `150`/],
    [{ ...worksheet, delivery_type: 'boat' }, 'delivery_type', /`delivery_type` must be one of task, subscription, enterprise/],
    [{ ...worksheet, discont: 5 }, 'discont', /I don't know `discont`\. Did you mean `discount`\?/],
    [{ ...worksheet, discount_pct: 5, discount: 5 }, 'discount', /`discount_pct` and `discount` are the same field/],
    [{ model: 'k2p5' }, 'complexity', /4 fields are missing: `complexity` .*`segment` .*`input` .*`output`/],
    // Someone writing the API's long names is answered in them.
    [{ model: 'k2p5', complexity: 'low', segment: 'smb', estimated_input: 10 }, 'estimated_output', /^`estimated_output` is missing: give a whole number/],
    [{ model: 'k2p5', complexity: 'low', segment: 'smb', estimated_input: 10, estimated_outpt: 5 }, 'estimated_outpt', /Did you mean `estimated_output`\?.*I know: .*estimated_input, estimated_output, delivery_type, discount_pct/s],
    [{ ...worksheet, account: 'A'.repeat(10_000) }, 'account', /^`account` is too long: at most 120 characters; you gave 10000\.$/],
  ])('names the field as the caller sent it: %#', async (body, field, message) => {
    const api = await startApi();
    const res = await postJson(api.url, body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { field: string; message: string };
    expect(json.field).toBe(field);
    expect(json.message).toMatch(message);
    expect(json.message.length).toBeLessThan(500);
    expect(api.count()).toBe(0);
  });

  it('requires the bearer token when API_TOKEN is set, and answers 401 as JSON', async () => {
    const api = await startApi({ API_TOKEN: 's3cret' });
    const none = await postJson(api.url, worksheet);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/json');
    expect(await none.json()).toEqual({ error: 'unauthorized', message: 'Send the API token as `Authorization: Bearer <API_TOKEN>`.' });
    const wrong = await postJson(api.url, worksheet, { authorization: 'Bearer wrong' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'unauthorized' });
    expect((await postJson(api.url, worksheet, { authorization: 'Bearer s3cret' })).status).toBe(200);
    expect((await fetch(`${api.url}/api/pricing/health`)).status).toBe(401);
  });

  it.each(['p@ss!word#1', 'a b~c', 'x=y&z%20"q\'', '<>{}[]|\\^`'])('accepts a token with any printable characters: %s', async (token) => {
    const api = await startApi({ API_TOKEN: token });
    expect((await postJson(api.url, worksheet, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await postJson(api.url, worksheet, { authorization: `Bearer ${token}x` })).status).toBe(401);
    expect(api.count()).toBe(1);
  });

  it('answers a body over 1 MB with 413 as JSON, like every other error', async () => {
    const api = await startApi();
    const res = await postJson(api.url, { ...worksheet, account: 'A'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'too_large' });
    expect(api.count()).toBe(0);
  });

  it('records a request once per Idempotency-Key', async () => {
    const api = await startApi();
    const a = await (await postJson(api.url, worksheet, { 'idempotency-key': 'k-1' })).json();
    const b = await (await postJson(api.url, worksheet, { 'idempotency-key': 'k-1' })).json();
    expect(a).toEqual(b);
    expect(api.count()).toBe(1);
  });

  it('reports a day of quotes in the ops time zone', async () => {
    const api = await startApi();
    // 2026-11-22 03:00 UTC is still the 21st in New York.
    api.setClock(new Date('2026-11-22T03:00:00Z'));
    await postJson(api.url, worksheet);
    api.setClock(new Date('2026-11-22T14:00:00Z'));
    await postJson(api.url, worksheet);
    await postJson(api.url, { ...worksheet, model: 'sonnet', segment: 'startup', complexity: 'low', estimated_input: 100000, estimated_output: 100000 });
    await postJson(api.url, { ...worksheet, segment: 'enterprise', estimated_input: 100000, estimated_output: 100000, discount_pct: 15 });

    const today = await (await fetch(`${api.url}/api/pricing/report`)).json();
    expect(today).toEqual({
      date: '2026-11-22',
      timezone: 'America/New_York',
      quotes_total: 3,
      avg_margin_pct: 74.39,
      by_decision: { approved: 1, approved_with_conditions: 1, escalated: 1 },
      by_segment: { enterprise: { count: 1, avg_margin: 73.91 }, smb: { count: 1, avg_margin: 99.28 }, startup: { count: 1, avg_margin: 50 } },
    });
    const yesterday = await (await fetch(`${api.url}/api/pricing/report?date=2026-11-21`)).json();
    expect(yesterday).toMatchObject({ quotes_total: 1, by_segment: { smb: { count: 1 } } });
    expect(await (await fetch(`${api.url}/api/pricing/report?date=yesterday`)).json()).toMatchObject({ date: '2026-11-21', quotes_total: 1 });
    expect(await (await fetch(`${api.url}/api/pricing/report?date=Today`)).json()).toMatchObject({ date: '2026-11-22', quotes_total: 3 });
  });

  it.each(['2026-02-30', '2027-13-45', '9999-99-99', 'tomorrow', '1'])('refuses report date=%s, naming the format with an example', async (date) => {
    const api = await startApi();
    const res = await fetch(`${api.url}/api/pricing/report?date=${date}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { field: string; allowed: string; message: string };
    expect(body.field).toBe('date');
    expect(body.allowed).toBe('a date as YYYY-MM-DD (e.g. 2026-11-21) from 2000-01-01 to 2100-12-31, or today or yesterday');
    expect(body.message).toBe(`\`date\` must be ${body.allowed}; you gave \`${date}\`.`);
  });

  it('answers yesterday across a daylight-saving change in the ops time zone', async () => {
    const api = await startApi();
    // 2026-11-02 12:00 New York, the day after clocks went back (Nov 1, 25 hours long).
    api.setClock(new Date('2026-11-02T17:00:00Z'));
    expect(await (await fetch(`${api.url}/api/pricing/report?date=yesterday`)).json()).toMatchObject({ date: '2026-11-01' });
  });

  it('answers health while up, and 404 with JSON for unknown routes', async () => {
    const api = await startApi();
    expect((await fetch(`${api.url}/api/pricing/health`)).status).toBe(200);
    const res = await fetch(`${api.url}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('HTTP API: exceptions', () => {
  const exception = {
    quote_id: 'CRM-77', account: 'Acme Corp', segment: 'smb', reason: 'strategic logo', approved_by: 'Eli Brooks',
    approved_by_role: 'executive', owner: 'sam', recovery_plan: 'upsell in Q1', target_recovery_date: '2027-03-01',
  };
  const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('creates (201), lists with age and risk, reports registry risk, logs progress and closes', async () => {
    const api = await startApi();
    // Closing as recovered is the owner's or a manager's call: the API speaks for a team member
    // named in X-Actor-Id only when it requires its token.
    const asMaria = { authorization: 'Bearer s3cret', 'x-actor-id': 'maria' };
    const created = await post(api.url, '/api/exceptions', { ...exception, approved_at: '2026-11-01' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'EX-00001', status: 'open', age_days: 21, aging_band: '15-30', risk_level: 'warning' });

    const list = (await (await fetch(`${api.url}/api/exceptions`)).json()) as { exceptions: unknown[] };
    expect(list.exceptions).toEqual([expect.objectContaining({ id: 'EX-00001', age_days: 21, aging_band: '15-30', risk_level: 'warning' })]);
    expect(await (await fetch(`${api.url}/api/exceptions/risk`)).json()).toEqual({
      risk_level: 'warning', recommended_action: 'manager_followup', summary: '1 open exception, 1 aging-risk (14+ days), oldest 21 days',
      open_count: 1, oldest_age_days: 21, aging_risk_count: 1,
    });

    const progressed = await post(api.url, '/api/exceptions/EX-00001/progress', { note: 'pilot extended' });
    expect(progressed.status).toBe(200);
    expect(await progressed.json()).toMatchObject({ recovery_status: 'on_track' });
    expect((await post(api.url, '/api/exceptions/1/close', { outcome: 'recovered' })).status).toBe(403);
    const secured = await startApi({ API_TOKEN: 's3cret' }, api.db);
    const closed = await post(secured.url, '/api/exceptions/1/close', { outcome: 'recovered' }, asMaria);
    expect(await closed.json()).toMatchObject({ status: 'closed', outcome: 'recovered' });
    expect((await post(secured.url, '/api/exceptions/1/close', { outcome: 'recovered' }, asMaria)).status).toBe(409);
    expect((await post(api.url, '/api/exceptions/99/progress', { note: 'x' })).status).toBe(404);
  });

  it('answers 422 with status rejected for an exception without a recovery plan, and keeps it for audit', async () => {
    const api = await startApi();
    const res = await post(api.url, '/api/exceptions', { ...exception, recovery_plan: '  ' });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ status: 'rejected', reason: expect.stringContaining('No recovery plan') });
    expect(api.count('exceptions')).toBe(1);
  });

  it.each([
    [{ target_recovery_date: '2027-13-45' }, 'target_recovery_date', 'YYYY-MM-DD (e.g. 2026-11-21)'],
    [{ target_recovery_date: '9999-99-99' }, 'target_recovery_date', 'YYYY-MM-DD (e.g. 2026-11-21)'],
    [{ target_recovery_date: '2027-02-29' }, 'target_recovery_date', 'YYYY-MM-DD (e.g. 2026-11-21)'],
    [{ approved_at: '1' }, 'approved_at', 'ISO 8601 with a zone (e.g. 2026-11-21T14:30:00Z)'],
    [{ approved_at: '2026-11-01T09:00:00' }, 'approved_at', 'ISO 8601 with a zone'],
    [{ approved_at: 20261101 }, 'approved_at', 'sent as a JSON string'],
    [{ recovery_plan: 'x'.repeat(1001) }, 'recovery_plan', 'at most 1000 characters'],
  ])('refuses %j, naming the field as sent and the format, and writes nothing', async (over, field, message) => {
    const api = await startApi();
    const res = await post(api.url, '/api/exceptions', { ...exception, ...over });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { field: string; message: string };
    expect(body.field).toBe(field);
    expect(body.message).toContain(message);
    expect(api.count('exceptions')).toBe(0);
  });

  it('accepts approved_at as a date or an instant with a zone', async () => {
    const api = await startApi();
    expect((await post(api.url, '/api/exceptions', { ...exception, approved_at: '2026-11-01T09:00:00-05:00' })).status).toBe(201);
    expect(api.db.prepare('SELECT approved_at FROM exceptions').get()).toEqual({ approved_at: '2026-11-01T14:00:00.000Z' });
  });

  it.each([
    { name: 'a ledger quote that does not exist', body: { quote_id: 'Q-00042' }, status: 404, field: 'quote' },
    { name: 'a quote that passed its guardrail', body: { quote_id: 'Q-00001', account: undefined, segment: undefined }, status: 409, field: 'quote' },
    { name: 'an account the ledger contradicts', body: { quote_id: 'Q-00002', account: 'Globex' }, status: 409, field: 'account' },
    { name: 'a segment the ledger contradicts', body: { quote_id: 'Q-00002', segment: 'enterprise' }, status: 409, field: 'segment' },
    { name: 'an owner who is not on the team', body: { owner: 'nobody' }, status: 400, field: 'owner' },
  ])('refuses $name with $status naming $field, and writes nothing', async ({ body, status, field }) => {
    const api = await startApi();
    await postJson(api.url, worksheet); // Q-00001: approved at 99.28%
    await postJson(api.url, { ...worksheet, model: 'opus', complexity: 'high', segment: 'startup', estimated_input: 100000, estimated_output: 50000, discount_pct: 60, account: 'Initech' });
    const res = await post(api.url, '/api/exceptions', { ...exception, segment: 'startup', account: 'Initech', ...body });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ field });
    expect(api.count('exceptions')).toBe(0);
  });

  it('answers 400 naming the field for a bad exception, and writes nothing', async () => {
    const api = await startApi();
    const res = await post(api.url, '/api/exceptions', { ...exception, segment: 'galactic' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'segment' });
    expect(api.count('exceptions')).toBe(0);
  });
});
