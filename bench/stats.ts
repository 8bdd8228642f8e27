/** Figures of repeated runs: the median is quoted, the spread (min-max) says how noisy the machine was. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function spread(values: readonly number[], digits = 2): string {
  if (values.length === 0) return 'n/a';
  return `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
}

export type Goal = { kind: 'max' | 'min'; limit: number };

/** One printed row: the figure (median of the runs, with its spread), the target, and the verdict. */
export function row(label: string, runs: readonly number[], unit: string, goal: Goal | undefined, digits = 2): string {
  const m = median(runs);
  const target = goal ? `${goal.kind === 'max' ? '<=' : '>='} ${goal.limit}${unit}` : '';
  const ratio = goal ? `${(m / goal.limit).toFixed(2)}x of target` : '';
  const verdict = goal ? ((goal.kind === 'max' ? m <= goal.limit : m >= goal.limit) ? 'PASS' : 'MISS') : '';
  return `  ${label.padEnd(52)} ${`${m.toFixed(digits)}${unit}`.padStart(12)}  (${spread(runs, digits)}, n=${runs.length})  ${target.padEnd(12)} ${ratio.padEnd(16)} ${verdict}`;
}
