import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import cliProgress from 'cli-progress';
import { recordUsage, toUsageEvent, type BudgetEnv } from '../budget/ingest.js';
import { UserError } from '../core/errors.js';
import type { UsageEvent } from '../store/usage.js';

export interface ImportSummary {
  rows: number;
  imported: number;
  duplicates: number;
  bad: { line: number; message: string }[];
}

const BATCH = 500;

/** Rows of the file with their line numbers: JSON Lines, or CSV with a header row. */
async function* rowsOf(path: string, format: 'jsonl' | 'csv'): AsyncGenerator<{ line: number; value: unknown; error?: string }> {
  if (format === 'csv') {
    const parser = createReadStream(path).pipe(parse({ columns: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }));
    for await (const record of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      // Empty cells mean "not given", so defaults apply as they do for JSON.
      const value = Object.fromEntries(Object.entries(record.record).filter(([, v]) => v !== ''));
      yield { line: record.info.lines, value };
    }
    return;
  }
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) as unknown };
    } catch (error) {
      yield { line, value: undefined, error: `not JSON (${(error as Error).message})` };
    }
  }
}

/**
 * Imports usage events from a file: good rows are kept, bad rows are reported by line number and
 * skipped. Events are recorded in batches, each batch one transaction, once per task or event id.
 */
export async function importUsage(
  env: Omit<BudgetEnv, 'now'>,
  path: string,
  options: { format: 'jsonl' | 'csv'; clock: () => Date; progress?: NodeJS.WriteStream; totalLines?: number },
): Promise<ImportSummary> {
  const summary: ImportSummary = { rows: 0, imported: 0, duplicates: 0, bad: [] };
  const bar = options.progress?.isTTY
    ? new cliProgress.SingleBar({ stream: options.progress, format: 'importing [{bar}] {value}/{total} rows | {bad} bad', hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(options.totalLines ?? 0, 0, { bad: 0 });
  let batch: UsageEvent[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    const r = recordUsage({ ...env, now: options.clock() }, batch);
    summary.imported += r.accepted;
    summary.duplicates += r.duplicates;
    batch = [];
  };
  for await (const row of rowsOf(path, options.format)) {
    summary.rows += 1;
    try {
      if (row.error) throw new UserError(row.error);
      batch.push(toUsageEvent({ ...env, now: options.clock() }, row.value, options.format === 'csv' ? 'text' : 'json'));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      summary.bad.push({ line: row.line, message: error.message.replace(/`/g, '') });
    }
    if (batch.length >= BATCH) flush();
    bar?.update(summary.rows, { bad: summary.bad.length });
  }
  flush();
  bar?.stop();
  return summary;
}
