import { Sqlite as Database } from '../../src/store/sqlite.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../src/adapters/http/api.js';
import { startHttpServer } from '../../src/adapters/http/server.js';
import { dispatchAction } from '../../src/core/dispatch.js';
import type { Actor } from '../../src/domain/actor.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import type { Db } from '../../src/store/open.js';
import { silentLog, testBed, testConfig } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';

const sam: Actor = { platform: 'slack', userId: 'U0SALES001', name: 'Sam Patel', role: 'sales_rep' };
const maria: Actor = { platform: 'slack', userId: 'U0REVMGR01', name: 'Maria Lopez', role: 'revenue_manager' };
const eli: Actor = { platform: 'slack', userId: 'U0EXEC0001', name: 'Eli Brooks', role: 'executive' };
const both = ['slack', 'discord'] as const;
/** Below the task guardrail at 60% off: needs the executive (Eli Brooks) within 2 hours. */
const MARGIN_QUOTE = '/quote opus high startup 100000 50000 discount=60 account=Globex';
/** Below the task guardrail with no discount: the deal desk (Maria Lopez, Pat Kim, or Eli Brooks). */
const GUARDRAIL_QUOTE = '/quote opus low startup 100000 50000 account=Globex';

const rows = (db: Db, sql: string) => db.prepare(sql).all();

describe('raising a request with the quote', () => {
  it('records the quote, its move to pending approval, the request and a post per platform in one go; a retry raises nothing more', async () => {
    const b = testBed();
    const first = await b.run(MARGIN_QUOTE, { actor: sam, platforms: both, idempotencyKey: 'slack:T1:trigger-1' });
    expect(first.error).toBeUndefined();
    await b.run(MARGIN_QUOTE, { actor: sam, platforms: both, idempotencyKey: 'slack:T1:trigger-1' });
    expect(rows(b.db, 'SELECT seq, state FROM quotes')).toEqual([{ seq: 1, state: 'pending_approval' }]);
    expect(rows(b.db, 'SELECT from_state, to_state, user_id FROM quote_history ORDER BY id')).toEqual([
      { from_state: null, to_state: 'escalated', user_id: 'U0SALES001' },
      { from_state: 'escalated', to_state: 'pending_approval', user_id: 'U0SALES001' },
    ]);
    expect(rows(b.db, 'SELECT quote_seq, authority, response_hours, respond_by FROM approval_requests')).toEqual([
      { quote_seq: 1, authority: 'executive', response_hours: 2, respond_by: '2026-11-22T16:00:00.000Z' },
    ]);
    expect(rows(b.db, 'SELECT platform, kind, destination, subject FROM outbox ORDER BY id')).toEqual([
      { platform: 'slack', kind: 'post', destination: 'C0DESK0001', subject: 'approval:1' },
      { platform: 'discord', kind: 'post', destination: '200000000000000001', subject: 'approval:1' },
    ]);
  });

  it('an approved quote raises nothing', async () => {
    const b = testBed();
    await b.run('/quote k2p5 medium smb 2000 800', { actor: sam, platforms: both });
    expect(b.count('approval_requests')).toBe(0);
    expect(b.count('outbox')).toBe(0);
  });
});

describe('/desk on the console and typed', () => {
  it('lists what waits, the most urgent first, with its age against its response time', async () => {
    const b = testBed();
    await b.run('/quote sonnet medium mid_market 100000 100000 discount=25', { actor: sam });
    await b.run(MARGIN_QUOTE, { actor: sam });
    b.setNow(new Date('2026-11-22T16:30:00Z'));
    const list = await b.run('/desk', { actor: maria });
    expect(list.summary).toBe('Deal desk: 2 quote(s) waiting for approval, 1 past their response time');
    expect(list.data).toMatchObject({
      pending: [
        { quote_id: 'Q-00002', authority: 'executive', age_minutes: 150, overdue: true },
        { quote_id: 'Q-00001', authority: 'revenue_lead', age_minutes: 150, overdue: false },
      ],
    });
  });

  it.each([
    ['approve', 'approve', 'approved_by_desk', null],
    ['changes', 'request_changes', 'changes_requested', 'note="keep it to 20%"'],
    ['decline', 'decline', 'declined', 'reason="no case"'],
  ])('/desk %s moves the quote and records the decision with who and the note', async (sub, decision, state, note) => {
    const b = testBed();
    await b.run(GUARDRAIL_QUOTE, { actor: sam });
    const r = await b.run(`/desk ${sub} Q-00001 ${note ?? ''}`.trim(), { actor: maria });
    expect(r.error).toBeUndefined();
    expect(rows(b.db, 'SELECT state FROM quotes')).toEqual([{ state }]);
    expect(rows(b.db, 'SELECT decision, decided_by_name, decided_by_person, decided_by_platform FROM approval_requests')).toEqual([
      { decision, decided_by_name: 'Maria Lopez', decided_by_person: 'maria', decided_by_platform: 'slack' },
    ]);
    expect(rows(b.db, 'SELECT to_state, person_id FROM quote_history ORDER BY id DESC LIMIT 1')).toEqual([{ to_state: state, person_id: 'maria' }]);
  });

  it.each([
    ['changes without a note', '/desk changes Q-00001', 'note'],
    ['decline without a reason', '/desk decline Q-00001', 'reason'],
  ])('refuses %s, writing nothing', async (_name, line, field) => {
    const b = testBed();
    await b.run(GUARDRAIL_QUOTE, { actor: sam });
    const r = await b.run(line, { actor: maria });
    expect(r.error).toMatchObject({ code: 'invalid_input', field });
    expect(rows(b.db, 'SELECT decided_at FROM approval_requests')).toEqual([{ decided_at: null }]);
  });
});

describe('approve as a strategic exception (§39)', () => {
  it('the button opens the exception form pre-filled for an authorised approver, and refuses anyone else first', async () => {
    const b = testBed();
    await b.run(MARGIN_QUOTE, { actor: sam });
    const press = (actor: Actor) => dispatchAction(b.registry, 'desk.exception', 'Q-00001', b.ctx({ actor, surface: 'button' }));
    const refused = await press(maria);
    expect(refused).toMatchObject({ kind: 'reply', reply: { summary: 'Q-00001 needs executive approval, which you do not hold in data/team.json. It can be decided by Eli Brooks.' } });
    const form = await press(eli);
    expect(form).toMatchObject({
      kind: 'form', command: 'exceptions', subcommand: 'add',
      values: { quote: 'Q-00001', segment: 'startup', account: 'Globex', approved_by: 'Eli Brooks', approved_by_role: 'executive' },
    });
  });

  it('completes only when the exception is recorded with its recovery plan, by someone holding the authority', async () => {
    const b = testBed();
    await b.run(MARGIN_QUOTE, { actor: sam, platforms: both });
    const add = (plan: string) =>
      `/exceptions add quote=Q-00001 reason="strategic logo" approved_by="Eli Brooks" approved_by_role=executive owner=sam ${plan}`;

    const noPlan = await b.run(add(''), { actor: eli, platforms: both });
    expect(noPlan.data).toMatchObject({ status: 'rejected' });
    expect(rows(b.db, 'SELECT state FROM quotes')).toEqual([{ state: 'pending_approval' }]);

    const byRep = await b.run(add('plan="upsell" target_date=2027-02-01'), { actor: sam, platforms: both });
    expect(byRep.summary).toContain('Q-00001 still waits for the desk');
    expect(rows(b.db, 'SELECT decided_at FROM approval_requests')).toEqual([{ decided_at: null }]);

    const byExec = await b.run(add('plan="repackage at renewal" target_date=2027-02-01'), { actor: eli, platforms: both });
    expect(byExec.summary).toContain('Q-00001 is approved as a strategic exception');
    expect(rows(b.db, 'SELECT state FROM quotes')).toEqual([{ state: 'approved_as_exception' }]);
    expect(rows(b.db, 'SELECT decision, decided_by_name, exception_seq, note FROM approval_requests')).toEqual([
      { decision: 'approve_as_exception', decided_by_name: 'Eli Brooks', exception_seq: 3, note: 'strategic logo' },
    ]);
    expect(rows(b.db, "SELECT detail FROM quote_history WHERE to_state = 'approved_as_exception'")).toEqual([{ detail: expect.stringContaining('"exceptionId":"EX-00003"') }]);
    // Both copies refreshed, and the rep told on Slack, where they asked.
    expect(rows(b.db, "SELECT platform, kind, destination FROM outbox WHERE kind IN ('post_refresh', 'message') ORDER BY kind, platform")).toEqual([
      { platform: 'slack', kind: 'message', destination: 'U0SALES001' },
      { platform: 'discord', kind: 'post_refresh', destination: '' },
      { platform: 'slack', kind: 'post_refresh', destination: '' },
    ]);
  });
});

describe('POST /api/pricing/quotes/:id/decision', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (closers.length) await closers.pop()?.();
  });
  async function startApi(env: Record<string, string> = {}, db?: Db) {
    const bed = testBed({ config: testConfig(env), db });
    const services = { registry: bed.registry, db: bed.db, config: bed.config, catalog: seedCatalog, log: silentLog, clock: () => new Date('2026-11-22T14:00:00Z'), platforms: [] };
    const http = await startHttpServer({ host: '127.0.0.1', port: 0, api: createApi(services) });
    closers.push(http.close);
    const post = (path: string, body: unknown, actor?: string) =>
      fetch(`${http.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer s3cret', ...(actor ? { 'x-actor-id': actor } : {}) },
        body: JSON.stringify(body),
      });
    return { ...bed, post };
  }

  it('decides as the team member in X-Actor-Id behind the token: 400, 403 (own quote, no authority), 404, 200, then 409', async () => {
    const api = await startApi({ API_TOKEN: 's3cret' });
    const asked = await api.post('/api/pricing/quote', { model: 'opus', complexity: 'low', segment: 'startup', input: 100000, output: 50000 }, 'sam');
    expect(await asked.json()).toMatchObject({ quote_id: 'Q-00001', decision_status: 'escalated' });
    const decide = (body: unknown, actor: string, id = 'Q-00001') => api.post(`/api/pricing/quotes/${id}/decision`, body, actor);

    const bad = await decide({ decision: 'maybe' }, 'maria');
    expect([bad.status, await bad.json()]).toEqual([400, expect.objectContaining({ field: 'decision', allowed: 'approve, changes, decline' })]);
    const own = await decide({ decision: 'approve' }, 'sam');
    expect([own.status, ((await own.json()) as { message: string }).message]).toEqual([403, 'Nobody approves their own quote: Q-00001 is yours. It can be decided by Maria Lopez, Eli Brooks or Pat Kim.']);
    expect((await decide({ decision: 'approve' }, 'nobody')).status).toBe(403);
    expect((await decide({ decision: 'approve' }, 'maria', 'Q-00099')).status).toBe(404);
    const noNote = await decide({ decision: 'changes' }, 'maria');
    expect(noNote.status).toBe(400);

    const ok = await decide({ decision: 'changes', note: 'use a subscription' }, 'maria');
    expect([ok.status, await ok.json()]).toEqual([200, expect.objectContaining({ quote_id: 'Q-00001', state: 'changes_requested', decision: 'request_changes', decided_by: 'Maria Lopez', note: 'use a subscription' })]);
    const again = await decide({ decision: 'decline', note: 'no' }, 'eli');
    expect([again.status, ((await again.json()) as { message: string }).message]).toEqual([409, expect.stringContaining('already decided: ↩️ sent back for changes by Maria Lopez')]);
  });

  it('trusts X-Actor-Id only when the API requires its token', async () => {
    const open = await startApi();
    await open.post('/api/pricing/quote', { model: 'opus', complexity: 'low', segment: 'startup', input: 100000, output: 50000 }, 'sam');
    const res = await open.post('/api/pricing/quotes/Q-00001/decision', { decision: 'approve' }, 'maria');
    expect(res.status).toBe(403);
  });

  it('409 for a quote that never went to the desk', async () => {
    const api = await startApi({ API_TOKEN: 's3cret' });
    await api.post('/api/pricing/quote', { model: 'k2p5', complexity: 'medium', segment: 'smb', input: 2000, output: 800 }, 'sam');
    const res = await api.post('/api/pricing/quotes/Q-00001/decision', { decision: 'approve' }, 'maria');
    expect([res.status, ((await res.json()) as { message: string }).message]).toEqual([409, 'Q-00001 is approved: it has no approval request (only escalated quotes go to the desk).']);
  });
});

describe('migration 0010: the outbox rebuilt with its rows', () => {
  it('keeps every outbox row, its id and its numbering, and takes the new kinds', () => {
    const db = new Database(':memory:');
    const all = listMigrations();
    const version = all.find((m) => m.name.endsWith('_approvals.sql'))?.version ?? 0;
    migrate(db, all, version - 1);
    db.prepare("INSERT INTO outbox (created_at, platform, kind, destination, payload, next_attempt_at, status) VALUES ('2026-11-22T14:00:00Z', 'slack', 'message', 'C1', '{}', '2026-11-22T14:00:00Z', 'delivered')").run();
    db.prepare("INSERT INTO outbox (created_at, platform, kind, destination, payload, next_attempt_at) VALUES ('2026-11-22T14:01:00Z', 'discord', 'message', 'D1', '{}', '2026-11-22T14:01:00Z')").run();
    const before = db.prepare('SELECT * FROM outbox ORDER BY id').all();
    migrate(db, all, version);
    expect(db.prepare('SELECT id, created_at, platform, kind, destination, alert_id, payload, status, attempts, next_attempt_at, last_error, delivered_at FROM outbox ORDER BY id').all()).toEqual(before);
    const next = db.prepare("INSERT INTO outbox (created_at, platform, kind, destination, subject, next_attempt_at) VALUES ('x', 'slack', 'post', 'C1', 'approval:1', 'x')").run();
    expect(next.lastInsertRowid).toBe(3);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= 'x'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('outbox_due');
  });
});
