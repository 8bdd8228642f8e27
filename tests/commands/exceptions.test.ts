import { describe, expect, it } from 'vitest';
import { dispatchAction } from '../../src/core/dispatch.js';
import type { Actor } from '../../src/domain/actor.js';
import { toText } from '../../src/reply/text.js';
import { testBed } from '../helpers/context.js';
import { alertReply } from '../../src/alerts/render.js';
import { alertHeadline, getAlert } from '../../src/store/alerts.js';
import { getExceptionBySeq } from '../../src/store/exceptions.js';
import { seedCatalog } from '../helpers/seed.js';

const maria: Actor = { platform: 'slack', userId: 'U0REVMGR01', name: 'Maria Lopez', role: 'revenue_manager' };
const sam: Actor = { platform: 'slack', userId: 'U0SALES001', name: 'Sam Patel', role: 'sales_rep' };
const DAY = 86_400_000;
const now = new Date('2026-11-22T15:00:00Z');

function bed() {
  const b = testBed({ now });
  const { run } = b;
  const add = (account: string, daysAgo: number, extra = '') =>
    run(`/exceptions add quote=CRM-${account} account="${account}" segment=smb reason="strategic logo" approved_by="Eli Brooks" approved_by_role=executive owner=sam plan="upsell in Q1" target_date=2027-03-01 approved_at=${new Date(now.getTime() - daysAgo * DAY).toISOString()} ${extra}`);
  const rows = (sql: string) => b.db.prepare(sql).all() as Record<string, unknown>[];
  return { ...b, run, add, rows };
}

describe('/exceptions add', () => {
  it('records an exception from an escalated quote, taking account and segment from the ledger', async () => {
    const b = bed();
    await b.run('/quote model=opus complexity=high segment=startup input=100000 output=50000 discount=60 account="Acme Corp"');
    const reply = await b.run('/exceptions add quote=Q-00001 reason="strategic logo" approved_by="Eli Brooks" approved_by_role=executive owner=sam plan="repackage as subscription at renewal" target_date=2027-01-31');
    expect(reply.error).toBeUndefined();
    expect(reply.data).toMatchObject({ id: 'EX-00001', status: 'open', quote_id: 'Q-00001', account: 'Acme Corp', segment: 'startup', age_days: 0, aging_band: '0-7', risk_level: 'ok' });
    // ok routes to the digest only: recorded, nothing sent (the quote's own approval request is posted to the desk).
    expect(b.rows('SELECT level FROM alerts')).toEqual([{ level: 'ok' }]);
    expect(b.rows("SELECT * FROM outbox WHERE kind <> 'post'")).toEqual([]);
  });

  it('auto-rejects an exception without a recovery plan: recorded for audit, the requester told why', async () => {
    const b = bed();
    const reply = await b.run('/exceptions add quote=CRM-9 account=Globex segment=smb reason="expansion path" approved_by=Eli approved_by_role=executive owner=sam');
    expect(reply.data).toMatchObject({ status: 'rejected', rejection_reason: expect.stringContaining('No recovery plan') });
    expect(toText(reply)).toContain('was recorded as rejected: it has no recovery plan');
    expect(b.rows("SELECT status FROM exceptions")).toEqual([{ status: 'rejected' }]);
    expect(b.rows('SELECT * FROM alerts')).toEqual([]);
  });

  it.each([
    ['quote=CRM-1 reason=x approved_by=Eli approved_by_role=executive owner=sam plan=p target_date=2027-01-01', '`account` is missing'],
    ['quote=CRM-1 account=A segment=smb reason=x approved_by=Eli approved_by_role=cfo owner=sam plan=p target_date=2027-01-01', '`approved_by_role` must be one of'],
    ['quote=CRM-1 account=A segment=smb reason=x approved_by=Eli approved_by_role=executive owner=sam plan=p', '`target_date` is missing'],
    ['quote=CRM-1 account=A segment=smb reason=x approved_by=Eli approved_by_role=executive owner=sam plan=p target_date=2027-01-01 approved_at=2027-05-01', 'cannot be in the future'],
  ])('refuses %s politely and writes nothing', async (args, message) => {
    const b = bed();
    const reply = await b.run(`/exceptions add ${args}`);
    expect(reply.summary).toContain(message);
    expect(b.rows('SELECT * FROM exceptions')).toEqual([]);
  });
});

describe('/exceptions list, risk, progress, close', () => {
  it('lists open exceptions oldest first with age, band and risk, and the registry line', async () => {
    const b = bed();
    await b.add('Young', 3);
    await b.add('Old', 31);
    await b.add('Middle', 14);
    const reply = await b.run('/exceptions');
    const data = reply.data as { exceptions: { account: string; age_days: number; aging_band: string; risk_level: string }[]; risk_level: string };
    expect(data.exceptions.map((e) => [e.account, e.age_days, e.aging_band, e.risk_level])).toEqual([
      ['Old', 31, '31+', 'critical'],
      ['Middle', 14, '8-14', 'warning'],
      ['Young', 3, '0-7', 'ok'],
    ]);
    expect(reply.summary).toBe('[Exception Risk: critical] 3 open exceptions, 2 aging-risk (14+ days), oldest 31 days | Next action: schedule_executive_review');
    expect((await b.run('/exceptions risk')).data).toEqual({
      risk_level: 'critical', recommended_action: 'schedule_executive_review', summary: '3 open exceptions, 2 aging-risk (14+ days), oldest 31 days',
      open_count: 3, oldest_age_days: 31, aging_risk_count: 2,
    });
  });

  it('logs progress, which clears the repricing flag, and closes', async () => {
    const b = bed();
    await b.add('Acme', 15);
    expect((await b.run('/exceptions show EX-00001')).data).toMatchObject({ recovery_status: 'flag_repricing' });
    const progressed = await b.run('/exceptions progress EX-00001 note="phased delivery agreed"');
    expect(progressed.data).toMatchObject({ recovery_status: 'on_track', progress: [{ note: 'phased delivery agreed', by: 'Alice' }] });
    const closed = await b.run('/exceptions close 1 outcome=recovered', { actor: maria });
    expect(closed.data).toMatchObject({ status: 'closed', outcome: 'recovered' });
    expect((await b.run('/exceptions close 1 outcome=retired', { actor: maria })).summary).toContain('already closed');
    expect((await b.run('/exceptions risk')).data).toMatchObject({ risk_level: 'none', recommended_action: 'no_action' });
  });

  it('says so for an unknown exception', async () => {
    expect((await bed().run('/exceptions show EX-00404')).error?.code).toBe('not_found');
  });
});

describe('alerting', () => {
  it('routes a warning to the ops channel and a critical to ops, exec and the sponsor, with an agenda item and a deadline', async () => {
    const b = bed();
    await b.add('Warm', 14);
    expect(b.rows("SELECT destination, kind FROM outbox ORDER BY id")).toEqual([{ destination: 'C0OPS00001', kind: 'alert' }]);
    await b.add('Hot', 30);
    const critical = b.rows("SELECT * FROM alerts WHERE level = 'critical'")[0];
    expect(critical).toMatchObject({ ack_deadline: new Date(now.getTime() + 30 * 60_000).toISOString() });
    expect(b.rows(`SELECT destination FROM outbox WHERE alert_id = ${critical?.id as number} ORDER BY id`)).toEqual([
      { destination: 'C0OPS00001' }, { destination: 'C0EXEC0001' }, { destination: 'U0EXEC0001' },
    ]);
    expect(b.rows('SELECT agenda_date, item FROM review_agenda')).toEqual([{ agenda_date: '2026-11-22', item: expect.stringContaining('EX-00002 Hot (smb) is 30 days old') }]);
  });

  it('alerts once per level: the same level never again, a rise does', async () => {
    const b = bed();
    await b.add('Acme', 13);
    await b.run('/exceptions progress 1 note="call booked"');
    await b.run('/exceptions progress 1 note="call held"');
    expect(b.rows('SELECT level FROM alerts ORDER BY id')).toEqual([{ level: 'ok' }]);
    b.setNow(new Date(now.getTime() + DAY));
    await b.run('/exceptions progress 1 note="proposal sent"');
    await b.run('/exceptions progress 1 note="again"');
    expect(b.rows('SELECT level FROM alerts ORDER BY id')).toEqual([{ level: 'ok' }, { level: 'warning' }]);
  });

  it('raises a registry alert when two warnings make the registry critical', async () => {
    const b = bed();
    await b.add('One', 14);
    await b.add('Two', 15);
    expect(b.rows("SELECT scope, level FROM alerts WHERE scope = 'registry'")).toEqual([{ scope: 'registry', level: 'critical' }]);
  });
});

describe('acknowledging', () => {
  async function warned() {
    const b = bed();
    await b.add('Warm', 14);
    const alertId = b.rows("SELECT id FROM alerts WHERE level = 'warning'")[0]?.id as number;
    const press = (actor: Actor) => dispatchAction(b.registry, 'exceptions.ack', String(alertId), b.ctx({ actor, platforms: ['slack'] }));
    return { ...b, alertId, press };
  }

  it('refuses a sales rep, with a short message, and records nothing', async () => {
    const b = await warned();
    const result = await b.press(sam);
    expect(result.kind === 'reply' && result.reply.error?.code).toBe('forbidden');
    expect(result.kind === 'reply' && result.reply.summary).toContain('Only a revenue manager or an executive can acknowledge');
    expect(b.rows('SELECT acknowledged_at FROM alerts WHERE acknowledged_at IS NOT NULL')).toEqual([]);
  });

  // Two processes pressing at the same moment: tests/concurrency/races.test.ts.
  it("answers a second press, by anyone, 'already acknowledged by' the first, and queues no second update", async () => {
    const b = await warned();
    b.db.prepare("UPDATE outbox SET status = 'delivered'").run();
    const first = await b.press(maria);
    const second = await b.press({ ...maria, userId: 'U0EXEC0001', name: 'Eli Brooks', role: 'executive' });
    expect(first.kind === 'reply' && first.reply.summary).toContain('Acknowledged alert');
    expect(second.kind === 'reply' && second.reply.summary).toContain('was already acknowledged by Maria Lopez');
    expect(b.rows(`SELECT ack_user_name FROM alerts WHERE id = ${b.alertId}`)).toEqual([{ ack_user_name: 'Maria Lopez' }]);
    expect(b.rows("SELECT kind FROM outbox WHERE kind = 'alert_refresh'")).toHaveLength(1);
  });

  it('works from the console as /exceptions ack, with the same rule', async () => {
    const b = await warned();
    expect((await b.run(`/exceptions ack #${b.alertId}`)).error?.code).toBe('forbidden');
    expect((await b.run(`/exceptions ack #${b.alertId}`, { actor: maria })).data).toMatchObject({ acknowledged: true });
  });
});

describe('/exceptions add keeps the registry’s rules', () => {
  const rest = 'reason="strategic logo" approved_by="Eli Brooks" approved_by_role=executive plan="upsell in Q1" target_date=2027-03-01';
  async function ledger() {
    const b = bed();
    await b.run('/quote k2p5 medium smb 2000 800 account="Tiny Co"'); // Q-00001: 99.28%, approved
    await b.run('/quote opus high startup 100000 50000 discount=60 account="Acme Corp"'); // Q-00002: 37.50%, guardrail failed
    await b.run('/quote sonnet medium mid_market 100000 100000 discount=25'); // Q-00003: escalated for the discount, guardrail passed
    await b.run('/quote opus high startup 100000 50000 discount=60'); // Q-00004: guardrail failed, no account
    return b;
  }

  it.each([
    { args: `quote=Q-00001 owner=sam ${rest}`, code: 'conflict', message: 'Q-00001 passed its 55% task guardrail (margin 99.28%): only a quote below its guardrail' },
    { args: `quote=1 owner=sam ${rest}`, code: 'conflict', message: 'Q-00001 passed its 55% task guardrail' },
    { args: `quote=Q-00003 owner=sam ${rest}`, code: 'conflict', message: 'Q-00003 passed its 55% task guardrail (margin 66.66%)' },
    { args: `quote=Q-00099 owner=sam ${rest}`, code: 'not_found', message: 'There is no quote `Q-00099` in the ledger' },
    { args: `quote=99 owner=sam ${rest}`, code: 'not_found', message: 'There is no quote `99` in the ledger' },
    { args: `quote=Q-00002 account="Globex" owner=sam ${rest}`, code: 'conflict', message: '`account` is `Globex` but Q-00002 in the ledger says `Acme Corp`' },
    { args: `quote=Q-00002 segment=enterprise owner=sam ${rest}`, code: 'conflict', message: '`segment` is `enterprise` but Q-00002 in the ledger says `startup`' },
    { args: `quote=Q-00002 owner=bob ${rest}`, code: 'invalid_input', message: '`owner` must be a person in data/team.json; `bob` is not. Name one of: maria (Maria Lopez), eli (Eli Brooks), sam (Sam Patel), pat (Pat Kim).' },
    { args: `quote=CRM-7 account=Globex segment=smb owner="Sam P" ${rest}`, code: 'invalid_input', message: '`owner` must be a person in data/team.json' },
    { args: `quote=Q-00004 owner=sam ${rest}`, code: 'invalid_input', message: '`account` is missing' },
  ])('refuses $args ($code) and writes nothing', async ({ args, code, message }) => {
    const b = await ledger();
    const reply = await b.run(`/exceptions add ${args}`);
    expect(reply.error?.code).toBe(code);
    expect(reply.summary).toContain(message);
    expect(b.rows('SELECT * FROM exceptions')).toEqual([]);
    expect(b.rows('SELECT * FROM alerts')).toEqual([]);
  });

  it.each([
    // The ledger's values, with or without the same ones typed in (any case), and the owner by id, name or Slack id.
    { args: `quote=Q-00002 owner=sam ${rest}`, account: 'Acme Corp', segment: 'startup', quote: 'Q-00002' },
    { args: `quote=2 account="acme corp" segment=startup owner="Sam Patel" ${rest}`, account: 'Acme Corp', segment: 'startup', quote: 'Q-00002' },
    { args: `quote=Q-00004 account=Initech owner=U0SALES001 ${rest}`, account: 'Initech', segment: 'startup', quote: 'Q-00004' },
    // A CRM reference imports an older exception: account and segment are taken as given.
    { args: `quote=CRM-7 account=Globex segment=smb owner=maria ${rest}`, account: 'Globex', segment: 'smb', quote: 'CRM-7' },
  ])('records $args', async ({ args, account, segment, quote }) => {
    const b = await ledger();
    const reply = await b.run(`/exceptions add ${args}`);
    expect(reply.error).toBeUndefined();
    expect(reply.data).toMatchObject({ quote_id: quote, account, segment, owner: args.includes('maria') ? 'maria' : 'sam' });
  });
});

describe('closing an exception', () => {
  const eli: Actor = { platform: 'slack', userId: 'U0EXEC0001', name: 'Eli Brooks', role: 'executive' };
  const pat: Actor = { platform: 'slack', userId: 'U0PRICING1', name: 'Pat Kim', role: 'pricing_admin' };
  const discordSam: Actor = { platform: 'discord', userId: '100000000000000003', name: 'sam#1', role: 'sales_rep' };

  it.each([
    { who: 'the owner (Slack)', actor: sam, outcome: 'recovered', note: true, code: null },
    { who: 'the owner (Discord)', actor: discordSam, outcome: 'recovered', note: true, code: null },
    { who: 'a revenue manager', actor: maria, outcome: 'recovered', note: true, code: null },
    { who: 'an executive', actor: eli, outcome: 'recovered', note: true, code: null },
    { who: 'a pricing admin who does not own it', actor: pat, outcome: 'recovered', note: true, code: 'forbidden' },
    { who: 'a sales rep who is not in the team file', actor: { ...sam, userId: 'U0SOMEONE' }, outcome: 'recovered', note: true, code: 'forbidden' },
    { who: 'the owner, with no progress note', actor: sam, outcome: 'recovered', note: false, code: 'conflict' },
    { who: 'a revenue manager, with no progress note', actor: maria, outcome: 'recovered', note: false, code: 'conflict' },
    { who: 'the owner retiring it', actor: sam, outcome: 'retired', note: true, code: 'forbidden' },
    { who: 'a revenue manager retiring it, no note needed', actor: maria, outcome: 'retired', note: false, code: null },
  ] as const)('$who closing as $outcome (note: $note) -> $code', async ({ actor, outcome, note, code }) => {
    const b = bed();
    await b.add('Acme', 10);
    if (note) await b.run('/exceptions progress EX-00001 note="upsell signed"');
    const reply = await b.run(`/exceptions close EX-00001 outcome=${outcome}`, { actor });
    expect(reply.error?.code ?? null).toBe(code);
    expect(b.rows('SELECT status, outcome FROM exceptions')).toEqual([code ? { status: 'open', outcome: null } : { status: 'closed', outcome }]);
    if (code === 'conflict') expect(reply.summary).toContain('EX-00001 has no progress notes');
    if (code === 'forbidden') expect(reply.summary).toMatch(/Only (EX-00001's owner \(Sam Patel\), )?a revenue manager or an executive/);
  });
});

describe('exception and alert ids cannot be confused', () => {
  it.each([
    { line: '/exceptions ack 1', code: 'invalid_input', message: '`1` alone names exception EX-00001; alerts are typed as their posts show them: `/exceptions ack #1`' },
    { line: '/exceptions ack EX-00001', code: 'invalid_input', message: 'is not an alert' },
    { line: '/exceptions ack #99', code: 'not_found', message: 'There is no alert #99' },
    { line: '/exceptions show #1', code: 'invalid_input', message: '`#1` is alert #1; exceptions are named EX-00001 (or 1)' },
    { line: '/exceptions close #1 outcome=retired', code: 'invalid_input', message: '`#1` is alert #1' },
  ])('$line -> $code', async ({ line, code, message }) => {
    const b = bed();
    await b.add('Warm', 14);
    const reply = await b.run(line, { actor: maria });
    expect(reply.error?.code).toBe(code);
    expect(reply.summary).toContain(message);
    expect(b.rows('SELECT acknowledged_at FROM alerts WHERE acknowledged_at IS NOT NULL')).toEqual([]);
    expect(b.rows("SELECT status FROM exceptions")).toEqual([{ status: 'open' }]);
  });

  it('the alert post’s button and its typed form name the same alert', async () => {
    const b = bed();
    await b.add('Warm', 14);
    const alertId = b.rows("SELECT id FROM alerts WHERE level = 'warning'")[0]?.id as number;
    const alert = getAlert(b.db, alertId);
    if (!alert) throw new Error('no alert');
    const post = alertReply(alert, getExceptionBySeq(b.db, 1), seedCatalog.team, 'America/New_York', now);
    expect(toText(post)).toContain(`[Acknowledge: type /exceptions ack #${alertId}]`);
    expect(post.summary).toBe(alertHeadline(alert));
    expect((await b.run(`/exceptions ack #${alertId}`, { actor: maria })).data).toMatchObject({ alert_id: alertId, acknowledged: true });
  });
});
