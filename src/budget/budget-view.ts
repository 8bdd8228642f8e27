import type { BudgetFlag } from '../domain/budget.js';
import { CRITICAL_PCT, PAUSE_PCT, SPIKE_RATIO, TASK_REVIEW_USD, WARNING_PCT, sparkline } from '../domain/budget.js';
import { formatMultiplier, formatUsd } from '../domain/money.js';
import { context, fields, header, reply, table, text, bullets, type Reply } from '../reply/reply.js';
import type { BudgetReport } from './snapshot.js';

const LEVEL_ICON = { ok: '🟢', warning: '🟠', critical: '🔴' } as const;

export function flagText(f: BudgetFlag): string {
  switch (f.kind) {
    case 'expensive_task':
      return `Task ${f.taskId} cost ${formatUsd(f.cost)} (over ${formatUsd(TASK_REVIEW_USD)}: review it)`;
    case 'cost_spike':
      return `${f.taskType} tasks average ${formatUsd(f.todayAvg)} today, over ${formatMultiplier(SPIKE_RATIO)} their 7-day baseline of ${formatUsd(f.baselineAvg)}`;
    case 'quote_drift':
      return `Task ${f.taskId} cost ${formatUsd(f.actual)} against ${formatUsd(f.estimate)} quoted in ${f.quoteId} (${f.driftPct.toFixed()}% off)`;
  }
}

export function flagData(f: BudgetFlag) {
  switch (f.kind) {
    case 'expensive_task':
      return { kind: f.kind, task_id: f.taskId, cost: Number(f.cost.toFixed(6)), message: flagText(f) };
    case 'cost_spike':
      return { kind: f.kind, task_type: f.taskType, today_avg: Number(f.todayAvg.toFixed(6)), baseline_avg: Number(f.baselineAvg.toFixed(6)), message: flagText(f) };
    case 'quote_drift':
      return { kind: f.kind, task_id: f.taskId, quote_id: f.quoteId, actual: Number(f.actual.toFixed(6)), estimate: Number(f.estimate.toFixed(6)), drift_pct: Number(f.driftPct.toFixed()), message: flagText(f) };
  }
}

export function budgetReply(r: BudgetReport, hourly: readonly number[]): Reply {
  const s = r.status;
  const line = `${LEVEL_ICON[s.level]} ${formatUsd(s.spent)} of ${formatUsd(s.budget)} (${s.utilizationPct.toFixed(2)}%), level ${s.level}`;
  return reply(`AI spend today: ${line}`, [
    header(`AI spend on ${r.day.date}`),
    fields(
      { label: 'Spent', value: `${formatUsd(s.spent)} of ${formatUsd(s.budget)} (${s.utilizationPct.toFixed(2)}%)` },
      { label: 'Level', value: `${LEVEL_ICON[s.level]} ${s.level} (warning ${WARNING_PCT}%, pause ${PAUSE_PCT}%, critical ${CRITICAL_PCT}%)` },
      { label: 'Projected by end of day', value: formatUsd(r.projected) },
      { label: 'Non-essential work', value: s.pauseNonEssential ? '⏸ paused' : 'running' },
      { label: 'Model policy', value: s.modelPolicy === 'k2p5_only' ? 'k2p5_only (Opus paused)' : 'standard' },
      { label: 'Tasks', value: `${r.tasksCompleted}, ${formatUsd(r.avgCostPerTask)} each on average` },
    ),
    text(`**By hour** \`${sparkline(hourly)}\``),
    r.byModel.length
      ? table(['model', 'spend', 'tasks', 'avg/task'], r.byModel.map((m) => [m.model, formatUsd(m.spend), String(m.tasks), formatUsd(m.avgPerTask)]))
      : text('No usage recorded today.'),
    text(r.flags.length ? `**Flags**\n${bullets(r.flags.map(flagText))}` : '**Flags** none'),
    context(`Budget ${r.budgetSource} · days in the ops time zone · /budget week for seven days`),
  ]);
}
