import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sqlite as Database } from '../../src/store/sqlite.js';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

/** Runs `npm run cli -- usage import FILE` as a user would, minus the build: tsx on the source. */
function importFile(name: string, content: string) {
  const dir = mkdtempSync(join(tmpdir(), 'j1msky-cli-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  const dbPath = join(dir, 'ops.db');
  const run = spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'usage', 'import', file], {
    cwd: root,
    env: { PATH: process.env.PATH, DATABASE_PATH: dbPath, OPS_TIMEZONE: 'UTC' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const db = new Database(dbPath, { readonly: true });
  const rows = db.prepare('SELECT task_id, input_tokens, cost_micros, cost_source, essential FROM usage_events ORDER BY task_id').all();
  db.close();
  return { code: run.status, out: run.stdout, err: run.stderr, rows };
}

describe('npm run cli -- usage import', () => {
  it('reads JSON Lines as typed JSON: type confusion is a bad row, null is "not given"', () => {
    const lines = [
      { task_id: 'ok', model: 'opus', input_tokens: 100000, output_tokens: 50000 },
      { task_id: 'null-cost', model: 'opus', input_tokens: 100000, output_tokens: 50000, cost_usd: null },
      { task_id: 'true-cost', model: 'opus', input_tokens: 1, output_tokens: 1, cost_usd: true },
      { task_id: 'hex-cost', model: 'opus', input_tokens: 1, output_tokens: 1, cost_usd: '0x10' },
      { task_id: 'string-tokens', model: 'opus', input_tokens: '5', output_tokens: 1 },
      { task_id: 'maybe', model: 'opus', input_tokens: 1, output_tokens: 1, essential: 'maybe' },
      { task_id: 'future', model: 'opus', input_tokens: 1, output_tokens: 1, at: '2099-01-01T00:00:00Z' },
    ];
    const r = importFile('usage.jsonl', lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(r.code).toBe(2);
    expect(r.out).toContain('Imported 2 of 7 rows');
    expect(r.out).toContain('line 3: cost_usd must be a number from 0 to 100000, sent as a JSON number; you gave true.');
    expect(r.out).toContain('line 4: cost_usd must be a number from 0 to 100000, sent as a JSON number; you gave "0x10".');
    expect(r.out).toContain('line 5: input_tokens must be a whole number from 0 to 1000000000, sent as a JSON number; you gave "5".');
    expect(r.out).toContain('line 6: essential must be true or false, sent as a JSON true or false; you gave "maybe".');
    expect(r.out).toMatch(/line 7: at 2099-01-01T00:00:00Z is in the future/);
    expect(r.rows).toEqual([
      { task_id: 'null-cost', input_tokens: 100000, cost_micros: 1_750_000, cost_source: 'rate_card', essential: 1 },
      { task_id: 'ok', input_tokens: 100000, cost_micros: 1_750_000, cost_source: 'rate_card', essential: 1 },
    ]);
  }, 60_000);

  it('reads CSV as text: numeric cells and true/false are fine, anything else is a bad row', () => {
    const csv = [
      'task_id,model,input_tokens,output_tokens,cost_usd,essential,at',
      'c1,opus,"100,000",50000,,false,',
      'c2,opus,1,1,0x10,,',
      'c3,opus,1,1,,maybe,',
      'c4,opus,1,1,0.25,TRUE,2026-11-21T10:00:00Z',
      'c5,opus,1,1,,,2026-13-01',
    ].join('\n');
    const r = importFile('usage.csv', `${csv}\n`);
    expect(r.code).toBe(2);
    expect(r.out).toContain('Imported 2 of 5 rows');
    expect(r.out).toContain('line 3: cost_usd must be a number from 0 to 100000; you gave 0x10.');
    expect(r.out).toContain('line 4: essential must be true or false; you gave maybe.');
    expect(r.out).toContain('line 6: at must be a time in ISO 8601 with a zone (e.g. 2026-11-21T14:30:00Z); you gave 2026-13-01.');
    expect(r.rows).toEqual([
      { task_id: 'c1', input_tokens: 100000, cost_micros: 1_750_000, cost_source: 'rate_card', essential: 0 },
      { task_id: 'c4', input_tokens: 1, cost_micros: 250_000, cost_source: 'reported', essential: 1 },
    ]);
  }, 60_000);
});
