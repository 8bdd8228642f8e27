import Big from 'big.js';
import { fromMicros, toMicros, type Usd } from './money.js';

/** Playbook §56: alert at 80%, pause non-essential work at 95%, critical at 100% of the daily budget. */
export const WARNING_PCT = 80;
export const PAUSE_PCT = 95;
export const CRITICAL_PCT = 100;

export type BudgetLevel = 'ok' | 'warning' | 'critical';
/** Under pressure, only the default model runs (§5: Kimi by default, Opus for strategy only). */
export type ModelPolicy = 'standard' | 'k2p5_only';

export interface BudgetStatus {
  spent: Usd;
  budget: Usd;
  /** Two places, rounded down: 79.999% shows as 79.99%, not 80.00%. */
  utilizationPct: Big;
  level: BudgetLevel;
  pauseNonEssential: boolean;
  modelPolicy: ModelPolicy;
}

/** Crossing a threshold: each fires at most once a day. */
export type BudgetSignal = 'warning' | 'pause' | 'critical';

const reached = (spentMicros: number, budgetMicros: number, pct: number) => spentMicros * 100 >= pct * budgetMicros;

/** Compares in whole micro-dollars, so a spend exactly at a threshold is on it, every time. */
export function budgetStatus(spent: Usd, budget: Usd): BudgetStatus {
  const s = toMicros(spent);
  const b = toMicros(budget);
  const pause = b === 0 ? s > 0 : reached(s, b, PAUSE_PCT);
  const level: BudgetLevel = b === 0 ? (s > 0 ? 'critical' : 'ok') : reached(s, b, CRITICAL_PCT) ? 'critical' : reached(s, b, WARNING_PCT) ? 'warning' : 'ok';
  return {
    spent,
    budget,
    utilizationPct: b === 0 ? new Big(0) : new Big(s).times(100).div(b).round(2, Big.roundDown),
    level,
    pauseNonEssential: pause,
    modelPolicy: pause ? 'k2p5_only' : 'standard',
  };
}

export function signalsReached(status: BudgetStatus): BudgetSignal[] {
  const out: BudgetSignal[] = [];
  if (status.level !== 'ok') out.push('warning');
  if (status.pauseNonEssential) out.push('pause');
  if (status.level === 'critical') out.push('critical');
  return out;
}

/** Spend so far, carried forward at today's average rate to the end of the day. */
export function projectEndOfDay(spent: Usd, elapsedFraction: number): Usd {
  if (elapsedFraction <= 0) return spent;
  return fromMicros(Math.round(toMicros(spent) / Math.min(1, elapsedFraction)));
}

const BARS = '▁▂▃▄▅▆▇█';

/** One character per hour, scaled to the day's busiest hour. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  if (max === 0) return BARS[0]!.repeat(values.length);
  return values.map((v) => BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1)))]).join('');
}

/** §56: a task over this is reviewed. */
export const TASK_REVIEW_USD = new Big('0.50');
/** §56: cost per task more than 50% above its 7-day baseline is a spike. */
export const SPIKE_RATIO = new Big('1.5');
/** A task's actual cost more than 10% off its quote's estimate is flagged. */
export const QUOTE_DRIFT_PCT = new Big(10);

export type BudgetFlag =
  | { kind: 'expensive_task'; taskId: string; cost: Usd }
  | { kind: 'cost_spike'; taskType: string; todayAvg: Usd; baselineAvg: Usd }
  | { kind: 'quote_drift'; taskId: string; quoteId: string; actual: Usd; estimate: Usd; driftPct: Big };

export function expensiveTasks(tasks: readonly { taskId: string; cost: Usd }[]): BudgetFlag[] {
  return tasks.filter((t) => t.cost.gt(TASK_REVIEW_USD)).map((t) => ({ kind: 'expensive_task', taskId: t.taskId, cost: t.cost }));
}

export function costSpikes(rows: readonly { taskType: string; todayAvg: Usd; baselineAvg: Usd | null }[]): BudgetFlag[] {
  return rows
    .filter((r) => r.baselineAvg !== null && r.baselineAvg.gt(0) && r.todayAvg.gt(r.baselineAvg.times(SPIKE_RATIO)))
    .map((r) => ({ kind: 'cost_spike', taskType: r.taskType, todayAvg: r.todayAvg, baselineAvg: r.baselineAvg as Usd }));
}

export function quoteDrift(rows: readonly { taskId: string; quoteId: string; actual: Usd; estimate: Usd }[]): BudgetFlag[] {
  return rows.flatMap((r): BudgetFlag[] => {
    if (r.estimate.eq(0)) return [];
    const driftPct = r.actual.minus(r.estimate).abs().times(100).div(r.estimate);
    return driftPct.gt(QUOTE_DRIFT_PCT) ? [{ kind: 'quote_drift', ...r, driftPct: driftPct.round(2, Big.roundHalfUp) }] : [];
  });
}
