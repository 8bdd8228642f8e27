import type { Catalog } from '../src/catalog/index.js';
import type { AppConfig } from '../src/config.js';
import { createRegistry } from '../src/core/command.js';
import { dispatchCommand } from '../src/core/dispatch.js';
import { openDatabase, type Db } from '../src/store/open.js';
import { rebuildQuarterSpend } from '../src/store/usage-totals.js';
import { commands } from '../commands/index.js';
import { pino } from 'pino';

/**
 * The two databases of bench/history.ts, built by direct inserts (recursive CTEs, one statement a
 * table) so a year of history takes seconds. Both hold the same window (the last two weeks: what a
 * command, route or post of today reads); the large one also holds a year of history before it.
 * Rows are copied from a quote the real pricing path recorded, so they match the schema exactly.
 */
export const DAY_S = 86_400;
export const HISTORY = { usage: 1_000_000, quotes: 100_000, days: 365, outboxPerDay: 200, exceptions: 1_000, alertsPerException: 6, failuresPerDay: 20 };
export const WINDOW = { days: 14, quotes: 4_000, usagePerDay: 2_740, openExceptions: 200, unackedAlerts: 10, outboxToday: 200, heldMessages: 5 };

const at = (end: Date) => end.toISOString();
/** The i-th of n instants spread over `spanS` seconds ending `endAgoS` seconds before `end`, oldest first. */
const spread = (n: string, span: string, endAgo = '0') => `strftime('%Y-%m-%dT%H:%M:%fZ', @end, '-' || (${endAgo} + ((${n} - i) * ${span}) / ${n}) || ' seconds')`;
const series = (count: string) => `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})`;

/** One quote exactly as the ledger records it, to copy. */
async function templateQuote(config: AppConfig, catalog: Catalog): Promise<Record<string, unknown>> {
  const db = openDatabase(':memory:');
  const registry = createRegistry(commands, catalog);
  const actor = { platform: 'slack' as const, userId: 'U0SALES001', name: 'Sam Patel', role: 'sales_rep' as const };
  const reply = await dispatchCommand(registry, 'quote', { text: 'model=k2p5 complexity=medium segment=smb input=2000 output=800 account=Acme' }, {
    actor, surface: 'console', db, now: new Date(), log: pino({ level: 'silent' }), config, catalog, platforms: [],
  });
  if (reply.error) throw new Error(`template quote refused: ${reply.summary}`);
  const row = db.prepare('SELECT * FROM quotes').get() as Record<string, unknown>;
  db.close();
  delete row.seq;
  return row;
}

const OVERRIDES: Record<string, string> = {
  created_at: '@when',
  state_changed_at: '@when',
  user_id: "'U' || (i % 20)",
  account: "'Account ' || (i % 300)",
  segment: "CASE i % 4 WHEN 0 THEN 'enterprise' WHEN 1 THEN 'mid_market' WHEN 2 THEN 'smb' ELSE 'startup' END",
  delivery_type: "CASE i % 3 WHEN 0 THEN 'task' WHEN 1 THEN 'subscription' ELSE 'enterprise' END",
  gross_margin_bp: '3000 + (i * 37) % 5000',
  decision: "CASE WHEN i % 7 = 0 THEN 'escalated' WHEN i % 5 = 0 THEN 'approved_with_conditions' ELSE 'approved' END",
  state: "CASE WHEN i % 7 = 0 THEN 'escalated' WHEN i % 5 = 0 THEN 'approved_with_conditions' ELSE 'approved' END",
  idempotency_key: "@tag || ':' || i",
};

function quotes(db: Db, template: Record<string, unknown>, p: { count: number; spanS: number; endAgoS: number; end: Date; tag: string; closed?: boolean }): void {
  const before = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM quotes').get() as { s: number }).s;
  const columns = Object.keys(template);
  const values = columns.map((c) => (OVERRIDES[c] ?? `@c_${c}`).replace(/@when/g, spread('@count', '@span', '@endAgo')));
  db.prepare(`${series('@count')} INSERT INTO quotes (${columns.join(', ')}) SELECT ${values.join(', ')} FROM n`).run({
    ...Object.fromEntries(columns.filter((c) => !OVERRIDES[c]).map((c) => [`c_${c}`, template[c]])),
    count: p.count, span: p.spanS, endAgo: p.endAgoS, end: at(p.end), tag: p.tag,
  });
  db.prepare('INSERT INTO quote_history (quote_seq, at, from_state, to_state, platform, user_id, user_name) SELECT seq, created_at, NULL, decision, platform, user_id, user_name FROM quotes WHERE seq > ?').run(before);
  if (p.closed) {
    // A year-old quote has long been won, lost or expired (expiry closes anything left alone for 30
    // days): history left open would make every risk tick expire a backlog no running bot has. They
    // close before the window, so both databases hold the same window of outcomes.
    db.prepare(
      `UPDATE quotes SET state = CASE seq % 3 WHEN 0 THEN 'won' WHEN 1 THEN 'lost' ELSE 'expired' END,
         state_changed_at = MIN(strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+1 day'), ?) WHERE seq > ?`,
    ).run(at(new Date(p.end.getTime() - p.endAgoS * 1000)), before);
    db.prepare(
      `INSERT INTO quote_history (quote_seq, at, from_state, to_state, platform, user_id, user_name)
       SELECT seq, state_changed_at, decision, state, platform, user_id, user_name FROM quotes WHERE seq > ?`,
    ).run(before);
  }
  // Every keyed request leaves its key (a Slack trigger or an HTTP Idempotency-Key).
  db.prepare("INSERT INTO request_keys (key, request_hash, command, first_seen_at) SELECT idempotency_key, 'h', 'quote', created_at FROM quotes WHERE seq > ?").run(before);
}

function usage(db: Db, p: { count: number; spanS: number; endAgoS: number; end: Date; tag: string }): void {
  db.prepare(
    `${series('@count')} INSERT INTO usage_events (event_key, task_id, model, input_tokens, output_tokens, cost_micros, cost_source, essential, task_type, quote_seq, at, received_at)
     SELECT @tag || i, @tag || (i / 3), CASE i % 3 WHEN 0 THEN 'k2p5' WHEN 1 THEN 'sonnet' ELSE 'opus' END, 2000, 800, 3600 + (i % 500), 'rate_card', 1, 'type' || (i % 7), NULL, ${spread('@count', '@span', '@endAgo')}, @endAt FROM n`,
  ).run({ count: p.count, span: p.spanS, endAgo: p.endAgoS, end: at(p.end), endAt: at(p.end), tag: p.tag });
  // Rows inserted around recordUsage must be added to its running spend totals, or /budget reads low.
  rebuildQuarterSpend(db);
}

function exceptions(db: Db, p: { count: number; spanS: number; endAgoS: number; end: Date; open: boolean }): void {
  db.prepare(
    `${series('@count')} INSERT INTO exceptions (status, quote_ref, account, segment, reason, approved_by_name, approved_by_role, owner, recovery_plan, target_date,
       approved_at, outcome, closed_at, created_at, created_platform, created_user_id, created_user_name)
     SELECT @status, printf('Q-%05d', 1 + (i * 7) % 2000), 'Account ' || (i % 300), 'enterprise', 'strategic logo', 'Eli Brooks', 'executive', 'maria',
       'upsell to the premium tier', date(@end, '+90 days'), ${spread('@count', '@span', '@endAgo')}, @outcome,
       CASE WHEN @open THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', ${spread('@count', '@span', '@endAgo')}, '+20 days') END,
       ${spread('@count', '@span', '@endAgo')}, 'slack', 'U0EXEC0001', 'Eli Brooks' FROM n`,
  ).run({ count: p.count, span: p.spanS, endAgo: p.endAgoS, end: at(p.end), status: p.open ? 'open' : 'closed', outcome: p.open ? null : 'recovered', open: p.open ? 1 : 0 });
}

const PAYLOAD = JSON.stringify({ summary: 'Morning triage: 14 quotes since 17:30, 2 escalated, 0 unassigned', blocks: [{ type: 'header', text: 'Morning quote triage' }, { type: 'text', text: 'Since 17:30: **12 approved** · **2 escalated** (escalation rate 14%, ok)'.repeat(4) }], audience: 'channel' });

function outbox(db: Db, p: { count: number; spanS: number; endAgoS: number; end: Date }): void {
  db.prepare(
    `${series('@count')} INSERT INTO outbox (created_at, platform, kind, destination, payload, status, attempts, next_attempt_at, delivered_at)
     SELECT w, 'slack', 'message', 'C0OPS', @payload, 'delivered', 1, w, w FROM (SELECT ${spread('@count', '@span', '@endAgo')} AS w FROM n)`,
  ).run({ count: p.count, span: p.spanS, endAgo: p.endAgoS, end: at(p.end), payload: PAYLOAD });
}

/** A year before the window: every growing table as a year of a busy team leaves it. */
export function fillHistory(db: Db, template: Record<string, unknown>, end: Date): void {
  const windowS = WINDOW.days * DAY_S;
  const yearS = HISTORY.days * DAY_S;
  const h = { spanS: yearS, endAgoS: windowS, end };
  db.transaction(() => {
    quotes(db, template, { ...h, count: HISTORY.quotes - WINDOW.quotes, tag: 'history', closed: true });
    usage(db, { ...h, count: HISTORY.usage, tag: 'h' });
    exceptions(db, { ...h, count: HISTORY.exceptions, open: false });
    // Each closed exception rose and was acknowledged a few times: alerts, their posts, their copies.
    db.prepare(
      `${series(String(HISTORY.alertsPerException))} INSERT INTO alerts (scope, exception_seq, level, episode, summary, recommended_action, raised_at, ack_deadline, acknowledged_at, ack_user_id, ack_user_name, ack_platform)
       SELECT 'exception:' || e.seq, e.seq, CASE WHEN i % 2 = 0 THEN 'warning' ELSE 'critical' END, i, 'aging exception', 'review', e.approved_at, NULL, e.approved_at, 'U0REVMGR01', 'Maria Lopez', 'slack'
       FROM exceptions e, n WHERE e.status = 'closed'`,
    ).run();
    db.prepare("INSERT INTO outbox (created_at, platform, kind, destination, alert_id, status, attempts, next_attempt_at, delivered_at) SELECT raised_at, 'slack', 'alert', 'C0OPS', id, 'delivered', 1, raised_at, raised_at FROM alerts").run();
    db.prepare("INSERT INTO alert_messages (alert_id, platform, channel, message_ts) SELECT id, 'slack', 'C0OPS', '1700000000.' || id FROM alerts").run();
    outbox(db, { ...h, count: HISTORY.outboxPerDay * HISTORY.days });
    db.prepare(
      `${series('@count')} INSERT INTO command_failures (at, command, outcome) SELECT ${spread('@count', '@span', '@endAgo')}, 'quote', CASE WHEN i % 4 = 0 THEN 'internal_error' ELSE 'user_error' END FROM n`,
    ).run({ count: HISTORY.failuresPerDay * HISTORY.days, span: yearS, endAgo: windowS, end: at(end) });
  })();
}

/**
 * The last two weeks (the exec brief compares this week with the one before; 2,000 quotes a week),
 * identical in both databases: what today's commands, routes and posts read.
 */
export function fillWindow(db: Db, template: Record<string, unknown>, end: Date): void {
  const w = { spanS: WINDOW.days * DAY_S, endAgoS: 60, end };
  db.transaction(() => {
    quotes(db, template, { ...w, count: WINDOW.quotes, tag: 'window' });
    usage(db, { ...w, count: WINDOW.usagePerDay * WINDOW.days, tag: 'w' });
    // Open exceptions approved over the last two months: the registry /api/exceptions lists.
    exceptions(db, { count: WINDOW.openExceptions, spanS: 60 * DAY_S, endAgoS: 3_600, end, open: true });
    db.prepare(
      `INSERT INTO alerts (scope, exception_seq, level, episode, summary, recommended_action, raised_at, ack_deadline)
       SELECT 'exception:' || seq, seq, 'critical', 0, 'aging exception', 'review', @now, @deadline FROM exceptions WHERE status = 'open' ORDER BY seq DESC LIMIT @n`,
    ).run({ now: at(new Date(end.getTime() - 3_600_000)), deadline: at(new Date(end.getTime() + 3_600_000)), n: WINDOW.unackedAlerts });
    outbox(db, { count: WINDOW.outboxToday, spanS: DAY_S, endAgoS: 60, end });
    // Non-critical messages held for the morning: pending, due later.
    db.prepare(
      `${series(String(WINDOW.heldMessages))} INSERT INTO outbox (created_at, platform, kind, destination, payload, next_attempt_at) SELECT @now, 'slack', 'message', 'C0OPS', @payload, @later FROM n`,
    ).run({ now: at(new Date(end.getTime() - 3_600_000)), later: at(new Date(end.getTime() + 8 * 3_600_000)), payload: PAYLOAD });
    db.prepare(`${series('20')} INSERT INTO command_failures (at, command, outcome) SELECT ${spread('20', String(DAY_S))}, 'quote', 'user_error' FROM n`).run({ end: at(end) });
  })();
}

export async function buildDatabases(config: AppConfig, catalog: Catalog, paths: { empty: string; large: string }, end: Date): Promise<void> {
  const template = await templateQuote(config, catalog);
  const large = openDatabase(paths.large);
  fillHistory(large, template, end);
  fillWindow(large, template, end);
  large.close();
  const empty = openDatabase(paths.empty);
  fillWindow(empty, template, end);
  empty.close();
}
