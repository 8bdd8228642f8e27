import type { Db } from './open.js';
import { stmt } from './statements.js';

export interface UsageEvent {
  eventKey: string;
  taskId: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  costSource: 'reported' | 'rate_card';
  essential: boolean;
  taskType: string | null;
  quoteSeq: number | null;
  at: Date;
}

/**
 * Records one event; false when its key was seen before (a resend), which is not counted again.
 * `receivedAt` is an ISO instant: a batch formats its one arrival time once, not per event.
 */
export function insertUsage(db: Db, e: UsageEvent, receivedAt: string): boolean {
  return (
    stmt(
      db,
      `INSERT INTO usage_events (event_key, task_id, model, input_tokens, output_tokens, cost_micros, cost_source, essential, task_type, quote_seq, at, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING`,
    ).run(
      e.eventKey, e.taskId, e.model, e.inputTokens, e.outputTokens, e.costMicros, e.costSource, e.essential ? 1 : 0,
      e.taskType, e.quoteSeq, e.at.toISOString(), receivedAt,
    ).changes === 1
  );
}

type Range = { from: Date; to: Date };
const bounds = (r: Range) => [r.from.toISOString(), r.to.toISOString()] as [string, string];

export function spendMicros(db: Db, r: Range): number {
  return stmt<[string, string], { s: number | null }>(db, 'SELECT SUM(cost_micros) AS s FROM usage_events WHERE at >= ? AND at < ?').get(...bounds(r))?.s ?? 0;
}

export function spendByModel(db: Db, r: Range): { model: string; micros: number; tasks: number }[] {
  return stmt<[string, string], { model: string; micros: number; tasks: number }>(
    db,
    'SELECT model, SUM(cost_micros) AS micros, COUNT(DISTINCT task_id) AS tasks FROM usage_events WHERE at >= ? AND at < ? GROUP BY model ORDER BY micros DESC',
  ).all(...bounds(r));
}

export function spendByTask(db: Db, r: Range): { taskId: string; taskType: string | null; micros: number }[] {
  return stmt<[string, string], { task_id: string; task_type: string | null; micros: number }>(
    db,
    'SELECT task_id, task_type, SUM(cost_micros) AS micros FROM usage_events WHERE at >= ? AND at < ? GROUP BY task_id',
  )
    .all(...bounds(r))
    .map((t) => ({ taskId: t.task_id, taskType: t.task_type, micros: t.micros }));
}

/** Average cost per task, by task type, over a range. */
export function avgTaskCostByType(db: Db, r: Range): Map<string, number> {
  const rows = stmt<[string, string], { task_type: string; avg: number }>(
    db,
    `SELECT task_type, AVG(micros) AS avg FROM (
       SELECT COALESCE(task_type, '') AS task_type, task_id, SUM(cost_micros) AS micros
       FROM usage_events WHERE at >= ? AND at < ? GROUP BY task_id, COALESCE(task_type, ''))
     GROUP BY task_type`,
  ).all(...bounds(r));
  return new Map(rows.map((x) => [x.task_type, x.avg]));
}

/** Spend per hour since the range began (index 0 is its first hour), in micro-dollars. */
export function spendByHourIndex(db: Db, r: Range): number[] {
  const rows = stmt<[string, string, string], { h: number; micros: number }>(
    db,
    'SELECT CAST((julianday(at) - julianday(?)) * 24 AS INTEGER) AS h, SUM(cost_micros) AS micros FROM usage_events WHERE at >= ? AND at < ? GROUP BY h',
  ).all(r.from.toISOString(), ...bounds(r));
  const hours = Math.ceil((r.to.getTime() - r.from.getTime()) / 3_600_000);
  const out = new Array<number>(hours).fill(0);
  for (const row of rows) if (row.h >= 0 && row.h < hours) out[row.h] = row.micros;
  return out;
}

/** Tasks linked to a quote: what they cost against what the quote estimated. */
export function quotedTaskCosts(db: Db, r: Range): { taskId: string; quoteSeq: number; actualMicros: number; estimateMicros: number }[] {
  return stmt<[string, string], { task_id: string; quote_seq: number; actual: number; estimate: number }>(
    db,
    `SELECT u.task_id, u.quote_seq, SUM(u.cost_micros) AS actual, q.internal_cost_micros AS estimate
     FROM usage_events u JOIN quotes q ON q.seq = u.quote_seq
     WHERE u.at >= ? AND u.at < ? GROUP BY u.task_id, u.quote_seq`,
  )
    .all(...bounds(r))
    .map((x) => ({ taskId: x.task_id, quoteSeq: x.quote_seq, actualMicros: x.actual, estimateMicros: x.estimate }));
}

export function currentBudgetMicros(db: Db): { micros: number; setBy: string; setAt: Date } | null {
  const row = stmt<[], { amount_micros: number; set_by_name: string; set_at: string }>(
    db,
    'SELECT amount_micros, set_by_name, set_at FROM budget_settings ORDER BY id DESC LIMIT 1',
  ).get();
  return row ? { micros: row.amount_micros, setBy: row.set_by_name, setAt: new Date(row.set_at) } : null;
}

export function setBudget(db: Db, micros: number, by: { userId: string; name: string; platform: string }, at: Date): void {
  stmt(db, 'INSERT INTO budget_settings (amount_micros, set_at, set_by_id, set_by_name, platform) VALUES (?, ?, ?, ?, ?)').run(
    micros, at.toISOString(), by.userId, by.name, by.platform,
  );
}

/** Claims a day's signal; false when it was already raised that day. */
export function claimBudgetSignal(db: Db, date: string, signal: string, at: Date, spentMicros: number): boolean {
  return (
    stmt(db, 'INSERT INTO budget_signals (budget_date, signal, raised_at, spent_micros) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      date, signal, at.toISOString(), spentMicros,
    ).changes === 1
  );
}

export function recordCommandFailure(db: Db, command: string, outcome: 'user_error' | 'internal_error', at: Date): void {
  stmt(db, 'INSERT INTO command_failures (at, command, outcome) VALUES (?, ?, ?)').run(at.toISOString(), command, outcome);
}

/** Failures of one command since a time, of one kind: the system's (internal) or a person's (user). */
export function commandFailures(db: Db, command: string, since: Date, outcome: 'user_error' | 'internal_error'): number {
  return (
    stmt<[string, string, string], { n: number }>(db, 'SELECT COUNT(*) AS n FROM command_failures WHERE command = ? AND outcome = ? AND at >= ?').get(
      command, outcome, since.toISOString(),
    )?.n ?? 0
  );
}
