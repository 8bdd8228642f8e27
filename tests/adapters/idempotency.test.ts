import { afterEach, describe, expect, it } from 'vitest';
import { startBot } from '../../src/app.js';
import { createApi } from '../../src/adapters/http/api.js';
import { startHttpServer } from '../../src/adapters/http/server.js';
import { seedCatalog } from '../helpers/seed.js';
import { silentLog, testBed, testConfig } from '../helpers/context.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET, postToSlackEndpoint, slashCommandBody } from '../helpers/slack-request.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function startApi() {
  const bed = testBed();
  const services = { registry: bed.registry, db: bed.db, config: bed.config, catalog: seedCatalog, log: silentLog, clock: () => new Date('2026-11-22T14:00:00Z'), platforms: [] };
  const http = await startHttpServer({ host: '127.0.0.1', port: 0, api: createApi(services) });
  closers.push(http.close);
  const post = async (path: string, body: unknown, key?: string) => {
    const res = await fetch(`${http.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const seqs = (table: string) => (bed.db.prepare(`SELECT seq FROM ${table} ORDER BY seq`).all() as { seq: number }[]).map((r) => r.seq);
  return { ...bed, post, seqs };
}

const worksheet = { model: 'k2p5', complexity: 'medium', segment: 'smb', estimated_input: 2000, estimated_output: 800 };
const exception = {
  quote_id: 'CRM-77', account: 'Acme Corp', segment: 'smb', reason: 'strategic logo', approved_by: 'Eli Brooks',
  approved_by_role: 'executive', owner: 'sam', recovery_plan: 'upsell in Q1', target_recovery_date: '2027-03-01',
};

describe('Idempotency-Key over HTTP', () => {
  it('keeps quote ids gapless when retries are interleaved with new requests', async () => {
    const api = await startApi();
    // k1, k1 again, k2, k1, k3, k2, k2, k4, then one with no key.
    const order = ['k1', 'k1', 'k2', 'k1', 'k3', 'k2', 'k2', 'k4', undefined];
    const ids: unknown[] = [];
    for (const key of order) ids.push((await api.post('/api/pricing/quote', worksheet, key)).body.quote_id);
    expect(ids).toEqual(['Q-00001', 'Q-00001', 'Q-00002', 'Q-00001', 'Q-00003', 'Q-00002', 'Q-00002', 'Q-00004', 'Q-00005']);
    expect(api.seqs('quotes')).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps exception ids gapless under retries', async () => {
    const api = await startApi();
    const order = ['e1', 'e1', 'e2', 'e1', 'e2', 'e3'];
    const ids: unknown[] = [];
    for (const key of order) ids.push((await api.post('/api/exceptions', exception, key)).body.id);
    expect(ids).toEqual(['EX-00001', 'EX-00001', 'EX-00002', 'EX-00001', 'EX-00002', 'EX-00003']);
    expect(api.seqs('exceptions')).toEqual([1, 2, 3]);
  });

  it.each([
    ['/api/pricing/quote', worksheet, { ...worksheet, estimated_input: 2001 }, 'quotes'],
    ['/api/pricing/quote', worksheet, { ...worksheet, account: 'Globex' }, 'quotes'],
    ['/api/exceptions', exception, { ...exception, account: 'Globex' }, 'exceptions'],
  ])('refuses the same key on %s with a different body (409), and writes nothing more', async (path, first, second, table) => {
    const api = await startApi();
    expect((await api.post(path, first, 'reused')).status).toBeLessThan(300);
    const conflict = await api.post(path, second, 'reused');
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ error: 'conflict', message: expect.stringContaining('already used for a different request') });
    expect(api.count(table)).toBe(1);
  });

  it('refuses one key used on two different endpoints', async () => {
    const api = await startApi();
    await api.post('/api/pricing/quote', worksheet, 'shared');
    expect((await api.post('/api/exceptions', exception, 'shared')).status).toBe(409);
    expect(api.count('exceptions')).toBe(0);
  });

  it('treats the same request written differently (alias, key order) as a retry', async () => {
    const api = await startApi();
    const a = await api.post('/api/pricing/quote', worksheet, 'same');
    const { estimated_input, estimated_output, ...rest } = worksheet;
    const b = await api.post('/api/pricing/quote', { output: estimated_output, input: estimated_input, ...rest, delivery_type: 'task' }, 'same');
    expect(b.status).toBe(200);
    expect(b.body.quote_id).toBe(a.body.quote_id);
    expect(api.count()).toBe(1);
  });

  it('frees a key whose request was refused, so the corrected request can use it', async () => {
    const api = await startApi();
    expect((await api.post('/api/pricing/quote', { ...worksheet, complexity: 'huge' }, 'fix-me')).status).toBe(400);
    const fixed = await api.post('/api/pricing/quote', worksheet, 'fix-me');
    expect(fixed.status).toBe(200);
    expect(fixed.body.quote_id).toBe('Q-00001');
  });
});

describe('Slack retries (same trigger_id) through the real Bolt app', () => {
  it('answer from the ledger and leave no gap in quote ids', async () => {
    const slack = await startFakeSlack();
    closers.push(slack.close);
    const bot = await startBot(testConfig({ PORT: '0', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url }), silentLog);
    closers.push(bot.stop);
    const send = async (trigger: string, retryNum?: number) => {
      const body = slashCommandBody('/quote', 'k2p5 medium smb 2000 800', { trigger_id: trigger });
      const res = await postToSlackEndpoint(bot.url, body, retryNum === undefined ? {} : { retryNum });
      return ((await res.json()) as { text: string }).text.slice(0, 13);
    };
    const texts = [await send('A'), await send('A', 1), await send('B'), await send('A', 2), await send('C')];
    expect(texts).toEqual(['Quote Q-00001', 'Quote Q-00001', 'Quote Q-00002', 'Quote Q-00001', 'Quote Q-00003']);
    const seqs = (bot.services.db.prepare('SELECT seq FROM quotes ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq);
    expect(seqs).toEqual([1, 2, 3]);
  });
});
