import type { AppConfig } from '../config.js';
import { budgetStatus, costSpikes, expensiveTasks, projectEndOfDay, quoteDrift, type BudgetFlag, type BudgetStatus } from '../domain/budget.js';
import { dayRange, localDate } from '../domain/calendar.js';
import { fromMicros, usd, type Usd } from '../domain/money.js';
import { formatQuoteId } from '../domain/quote-record.js';
import { unlessBusy } from '../store/busy.js';
import type { Db } from '../store/open.js';
import { deleteStatePrefix, getState, setState } from '../store/ops-state.js';
import { avgTaskCostByType, currentBudgetMicros, quotedTaskCosts, spendByModel, spendByTask } from '../store/usage.js';
import { rangeSpendMicros } from '../store/usage-totals.js';

const DAY_MS = 86_400_000;

export interface DayWindow {
  date: string;
  from: Date;
  to: Date;
}

export function today(now: Date, timezone: string): DayWindow {
  const date = localDate(now, timezone);
  const range = dayRange(date, timezone);
  if (!range) throw new Error(`no day range for ${date} in ${timezone}`);
  return { date, ...range };
}

export function dailyBudget(db: Db, config: AppConfig): { amount: Usd; source: string } {
  const set = currentBudgetMicros(db);
  return set
    ? { amount: fromMicros(set.micros), source: `set by ${set.setBy} on ${set.setAt.toISOString().slice(0, 10)}` }
    : { amount: usd(config.dailyBudgetUsd), source: 'DAILY_BUDGET_USD' };
}

/**
 * What an orchestrator polls before starting a task, and every usage batch checks: today only, and
 * from the running quarter-hour totals, so it costs the same at the day's last event as at its first.
 */
export function budgetNow(db: Db, config: AppConfig, now: Date): { day: DayWindow; status: BudgetStatus; budgetSource: string } {
  const day = today(now, config.timezone);
  const budget = dailyBudget(db, config);
  return { day, status: budgetStatus(fromMicros(rangeSpendMicros(db, day)), budget.amount), budgetSource: budget.source };
}

export interface BudgetReport {
  day: DayWindow;
  status: BudgetStatus;
  budgetSource: string;
  projected: Usd;
  byModel: { model: string; spend: Usd; tasks: number; avgPerTask: Usd }[];
  tasksCompleted: number;
  avgCostPerTask: Usd;
  flags: BudgetFlag[];
}

const BASELINE_KEY = 'usage_baseline:';

/**
 * The average cost per task by type over the seven days before `day`. Those days are over, so it is
 * computed once per day and kept; recording an event dated before today clears it.
 */
function baselineByType(db: Db, day: DayWindow): Map<string, number> {
  const key = `${BASELINE_KEY}${day.date}`;
  const cached = getState(db, key);
  if (cached) return new Map(JSON.parse(cached) as [string, number][]);
  const baseline = avgTaskCostByType(db, { from: new Date(day.from.getTime() - 7 * DAY_MS), to: day.from });
  // Only a cache: a read must not wait for (or fail on) another process's write lock to save it.
  unlessBusy(() => setState(db, key, JSON.stringify([...baseline])));
  return baseline;
}

export function forgetBaselines(db: Db): void {
  deleteStatePrefix(db, BASELINE_KEY);
}

function averageByType(tasks: readonly { taskType: string | null; micros: number }[]): Map<string, number> {
  const sums = new Map<string, { micros: number; n: number }>();
  for (const t of tasks) {
    const k = t.taskType ?? '';
    const s = sums.get(k) ?? { micros: 0, n: 0 };
    sums.set(k, { micros: s.micros + t.micros, n: s.n + 1 });
  }
  return new Map([...sums].map(([k, s]) => [k, s.micros / s.n]));
}

/** Today in full: the status, where the money went, and what looks wrong. */
export function budgetReport(db: Db, config: AppConfig, now: Date): BudgetReport {
  const { day, status, budgetSource } = budgetNow(db, config, now);
  const until = { from: day.from, to: now < day.to ? now : day.to };
  const byModel = spendByModel(db, day).map((m) => ({
    model: m.model,
    spend: fromMicros(m.micros),
    tasks: m.tasks,
    avgPerTask: fromMicros(Math.round(m.micros / Math.max(1, m.tasks))),
  }));
  const tasks = spendByTask(db, day);
  const baseline = baselineByType(db, day);
  const todayByType = averageByType(tasks);
  const flags = [
    ...expensiveTasks(tasks.map((t) => ({ taskId: t.taskId, cost: fromMicros(t.micros) }))),
    ...costSpikes(
      [...todayByType].map(([type, avg]) => {
        const base = baseline.get(type);
        return { taskType: type || '(untyped)', todayAvg: fromMicros(Math.round(avg)), baselineAvg: base === undefined ? null : fromMicros(Math.round(base)) };
      }),
    ),
    ...quoteDrift(
      quotedTaskCosts(db, day).map((q) => ({ taskId: q.taskId, quoteId: formatQuoteId(q.quoteSeq), actual: fromMicros(q.actualMicros), estimate: fromMicros(q.estimateMicros) })),
    ),
  ];
  const totalMicros = tasks.reduce((sum, t) => sum + t.micros, 0);
  const elapsed = (until.to.getTime() - day.from.getTime()) / (day.to.getTime() - day.from.getTime());
  return {
    day,
    status,
    budgetSource,
    projected: projectEndOfDay(status.spent, elapsed),
    byModel,
    tasksCompleted: tasks.length,
    avgCostPerTask: fromMicros(Math.round(totalMicros / Math.max(1, tasks.length))),
    flags,
  };
}
