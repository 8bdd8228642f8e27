/** Rows padded to a shared width per column, for monospace tables on every surface. */
export function alignColumns(columns: readonly string[], rows: readonly (readonly string[])[], withRule = false): string[] {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(columns), ...(withRule ? [line(widths.map((w) => '-'.repeat(w)))] : []), ...rows.map(line)];
}
