import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../src/adapters/http/api.js';
import { startHttpServer } from '../../src/adapters/http/server.js';
import type { Db } from '../../src/store/open.js';
import { seedCatalog } from '../helpers/seed.js';
import { silentLog, testBed, testConfig } from '../helpers/context.js';
import { PRICED, sam } from '../helpers/quote-life.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function startApi(env: Record<string, string> = {}, db?: Db) {
  const bed = testBed({ config: testConfig(env), db });
  const now = new Date('2026-11-22T14:00:00Z');
  const services = { registry: bed.registry, db: bed.db, config: bed.config, catalog: seedCatalog, log: silentLog, clock: () => now, platforms: [] };
  const http = await startHttpServer({ host: '127.0.0.1', port: 0, api: createApi(services) });
  closers.push(http.close);
  return { ...bed, url: http.url };
}

const worksheet = { model: 'k2p5', complexity: 'medium', segment: 'smb', estimated_input: 2000, estimated_output: 800 };
const json = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const asMaria = { authorization: 'Bearer s3cret', 'x-actor-id': 'maria' };
const asSam = { authorization: 'Bearer s3cret', 'x-actor-id': 'sam' };

/** Q-00001 asked by Sam in Slack; Q-00002 asked over HTTP by an anonymous caller; Q-00003 by Sam over HTTP, conditional. */
async function ledger() {
  const open = await startApi();
  expect((await open.run(PRICED.approved, { actor: sam })).error).toBeUndefined();
  expect((await json(open.url, '/api/pricing/quote', worksheet)).status).toBe(200);
  const secured = await startApi({ API_TOKEN: 's3cret' }, open.db);
  expect((await json(secured.url, '/api/pricing/quote', { ...worksheet, scope: 'unclear' }, asSam)).status).toBe(200);
  return { open, secured };
}

const ids = async (res: Response) => ((await res.json()) as { quotes: { quote_id: string }[] }).quotes.map((q) => q.quote_id);

describe('HTTP API: the quote’s life', () => {
  it.each([
    // Without API_TOKEN (loopback only) X-Actor-Id is not trusted: the caller is a sales rep whose
    // own quotes are the ones asked over HTTP under the same caller id, never the chat's.
    ['anonymous, no token', 'open', {}, ['Q-00002']],
    ['no token, claiming to be Maria', 'open', { 'x-actor-id': 'maria' }, []],
    ['token, Maria (revenue manager)', 'secured', asMaria, ['Q-00003', 'Q-00002', 'Q-00001']],
    ['token, Sam (sales rep): his Slack and HTTP quotes', 'secured', asSam, ['Q-00003', 'Q-00001']],
    ['token, no actor', 'secured', { authorization: 'Bearer s3cret' }, ['Q-00002']],
  ] as const)('GET /api/pricing/quotes as %s', async (_who, which, headers, expected) => {
    const apis = await ledger();
    const res = await fetch(`${apis[which].url}/api/pricing/quotes`, { headers });
    expect(res.status).toBe(200);
    expect(await ids(res)).toEqual(expected);
  });

  it('filters the list from the query string and names a bad filter', async () => {
    const { secured } = await ledger();
    expect(await ids(await fetch(`${secured.url}/api/pricing/quotes?state=approved_with_conditions`, { headers: asMaria }))).toEqual(['Q-00003']);
    expect(await ids(await fetch(`${secured.url}/api/pricing/quotes?segment=smb&since=2026-11-22&limit=1`, { headers: asMaria }))).toEqual(['Q-00003']);
    const bad = await fetch(`${secured.url}/api/pricing/quotes?state=sold`, { headers: asMaria });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_input', field: 'state' });
  });

  it('GET /api/pricing/quotes/:id answers the quote with its history, 403 to another rep and 404 to an unknown id', async () => {
    const { open, secured } = await ledger();
    const res = await fetch(`${secured.url}/api/pricing/quotes/Q-00001`, { headers: asMaria });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      quote_id: 'Q-00001',
      state: 'approved',
      possible_moves: ['send'],
      history: [{ from: null, to: 'approved', by: { platform: 'slack', user_id: 'U0SALES001', name: 'Sam Patel', person: 'sam', role: 'sales_rep' } }],
    });
    expect((await fetch(`${open.url}/api/pricing/quotes/Q-00001`)).status).toBe(403);
    expect((await fetch(`${secured.url}/api/pricing/quotes/Q-00099`, { headers: asMaria })).status).toBe(404);
  });

  it('POST send, won and lost move the quote; an illegal move is 409 and writes nothing', async () => {
    const { secured } = await ledger();
    const before = secured.count('quote_history');
    const won = await json(secured.url, '/api/pricing/quotes/Q-00001/won', {}, asSam);
    expect(won.status).toBe(409);
    expect(await won.json()).toMatchObject({ error: 'conflict', message: expect.stringMatching(/A quote that is approved cannot be won\. From approved it can: send\./) });
    expect(secured.count('quote_history')).toBe(before);

    const sent = await json(secured.url, '/api/pricing/quotes/Q-00001/send', { note: 'emailed the PDF' }, asSam);
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ state: 'sent', history: [{ to: 'approved' }, { to: 'sent', note: 'emailed the PDF', by: { person: 'sam', role: 'sales_rep' } }] });
    const lost = await json(secured.url, '/api/pricing/quotes/1/lost', { reason: 'competitor', competitor: 'Globex' }, asMaria);
    expect(lost.status).toBe(200);
    expect(await lost.json()).toMatchObject({ state: 'lost', history: [{}, {}, { to: 'lost', detail: { reason: 'competitor', competitor: 'Globex' }, by: { person: 'maria', role: 'revenue_manager' } }] });
    expect((await json(secured.url, '/api/pricing/quotes/Q-00001/won', {}, asMaria)).status).toBe(409);
    expect(secured.count('quote_history')).toBe(before + 2);
  });

  it('sends a conditional approval only with confirm: true, and refuses a bad reason or an unknown quote', async () => {
    const { secured } = await ledger();
    const unconfirmed = await json(secured.url, '/api/pricing/quotes/Q-00003/send', { confirm: false }, asSam);
    expect(unconfirmed.status).toBe(409);
    expect(await unconfirmed.json()).toMatchObject({ message: expect.stringMatching(/confirm they are met/) });
    const confirmed = await json(secured.url, '/api/pricing/quotes/Q-00003/send', { confirm: true }, asSam);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ state: 'sent', history: [{}, { detail: { conditionsConfirmed: true, confirmed_via: 'typed' } }] });
    const badReason = await json(secured.url, '/api/pricing/quotes/Q-00003/lost', { reason: 'vibes' }, asSam);
    expect(badReason.status).toBe(400);
    expect(await badReason.json()).toMatchObject({ error: 'invalid_input', field: 'reason' });
    expect((await json(secured.url, '/api/pricing/quotes/Q-00042/send', {}, asMaria)).status).toBe(404);
  });

  it('refuses (403) a move by a rep who did not ask, and the anonymous caller a chat quote', async () => {
    const { open, secured } = await ledger();
    expect((await json(open.url, '/api/pricing/quotes/Q-00001/send', {})).status).toBe(403);
    expect((await json(open.url, '/api/pricing/quotes/Q-00001/send', {}, { 'x-actor-id': 'sam' })).status).toBe(403);
    expect((await json(secured.url, '/api/pricing/quotes/Q-00002/send', {}, asSam)).status).toBe(403);
    // The anonymous caller moves what it asked.
    expect((await json(open.url, '/api/pricing/quotes/Q-00002/send', {})).status).toBe(200);
  });
});
