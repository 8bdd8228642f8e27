import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../src/adapters/http/api.js';
import { startHttpServer } from '../../src/adapters/http/server.js';
import { seedCatalog } from '../helpers/seed.js';
import { silentLog, testBed } from '../helpers/context.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function startApi() {
  const bed = testBed();
  const services = { registry: bed.registry, db: bed.db, config: bed.config, catalog: seedCatalog, log: silentLog, clock: () => new Date('2026-11-22T14:00:00Z'), platforms: [] };
  const http = await startHttpServer({ host: '127.0.0.1', port: 0, api: createApi(services) });
  closers.push(http.close);
  return { ...bed, url: http.url };
}

const proposal = {
  account: 'Acme Corp',
  segment: 'smb',
  model: 'sonnet',
  estimated_input: 100_000,
  estimated_output: 100_000,
  options: [
    { tag: 'base', complexity: 'low' },
    { tag: 'recommended', complexity: 'medium', discount_pct: 10 },
    { tag: 'premium', complexity: 'high', owner: 'Maria Lopez' },
  ],
};
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/pricing/proposals`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const written = (api: Awaited<ReturnType<typeof startApi>>) => [api.count('quotes'), api.count('proposals'), api.count('proposal_options')];

describe('HTTP proposals', () => {
  it('POST builds and checks a proposal from JSON with an options array; GET answers it by id and in the list', async () => {
    const api = await startApi();
    const res = await post(api.url, proposal);
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      proposal_id: 'P-00001',
      account: 'Acme Corp',
      options: [
        { tag: 'base', quote_id: 'Q-00001', gross_margin_pct: 60 },
        { tag: 'recommended', quote_id: 'Q-00002', gross_margin_pct: 68.25 },
        { tag: 'premium', quote_id: 'Q-00003', exception_owner: 'maria' },
      ],
      checks: { compliant: 3, options: 3 },
      decision: 'proceed',
    });
    expect(written(api)).toEqual([3, 1, 3]);

    const one = await fetch(`${api.url}/api/pricing/proposals/P-00001`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(body);
    const list = await fetch(`${api.url}/api/pricing/proposals`);
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ proposals: [body] });
  });

  it('an option that only repeats the shared fields takes their complexity', async () => {
    const api = await startApi();
    const res = await post(api.url, { ...proposal, complexity: 'medium', options: [{ tag: 'base' }, { tag: 'premium', complexity: 'high' }] });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { options: { tag: string }[] }).options.map((o) => o.tag)).toEqual(['base', 'premium']);
  });

  it.each([
    { name: 'a number sent as a string inside an option', body: { ...proposal, options: [{ tag: 'base', complexity: 'low', discount_pct: '10' }, { tag: 'premium', complexity: 'high' }] }, field: 'options[0].discount_pct', says: 'sent as a JSON number' },
    { name: 'an unknown tag', body: { ...proposal, options: [{ tag: 'deluxe', complexity: 'low' }, { tag: 'premium', complexity: 'high' }] }, field: 'options[0].tag', says: 'must be one of base, recommended, premium, stretch' },
    { name: 'a tag twice', body: { ...proposal, options: [{ tag: 'base', complexity: 'low' }, { tag: 'base', complexity: 'high' }] }, field: 'options[1].tag', says: 'each tag is used once' },
    { name: 'one option', body: { ...proposal, options: [{ tag: 'base', complexity: 'low' }] }, field: 'options', says: 'an array of 2 to 4 objects' },
    { name: 'options that are not an array', body: { ...proposal, options: 'base' }, field: 'options', says: 'an array of 2 to 4 objects' },
    { name: 'a shared number sent as a string', body: { ...proposal, estimated_input: '100000' }, field: 'estimated_input', says: 'sent as a JSON number' },
    { name: 'an option with no complexity anywhere', body: { ...proposal, options: [{ tag: 'base' }, { tag: 'premium', complexity: 'high' }] }, field: 'options[0].complexity', says: 'has no `complexity`' },
    { name: 'an owner not on the team', body: { ...proposal, options: [{ tag: 'base', complexity: 'low', owner: 'zed' }, { tag: 'premium', complexity: 'high' }] }, field: 'base', says: 'a person in data/team.json' },
  ])('answers 400 for $name, naming the field, and writes nothing', async ({ body, field, says }) => {
    const api = await startApi();
    const res = await post(api.url, body);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string; field: string; message: string };
    expect(answer).toMatchObject({ error: 'invalid_input', field });
    expect(answer.message).toContain(says);
    expect(written(api)).toEqual([0, 0, 0]);
  });

  it('answers 404 for an unknown proposal and 409 for an idempotency key reused with another proposal', async () => {
    const api = await startApi();
    expect((await fetch(`${api.url}/api/pricing/proposals/P-00042`)).status).toBe(404);
    expect((await post(api.url, proposal, { 'idempotency-key': 'k1' })).status).toBe(201);
    const retry = await post(api.url, proposal, { 'idempotency-key': 'k1' });
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as { proposal_id: string }).proposal_id).toBe('P-00001');
    const other = await post(api.url, { ...proposal, account: 'Globex' }, { 'idempotency-key': 'k1' });
    expect(other.status).toBe(409);
    expect(written(api)).toEqual([3, 1, 3]);
  });
});
