import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open.js';
import { SQLITE_DRIVER, Sqlite } from '../../src/store/sqlite.js';

const major = Number(process.versions.node.split('.')[0]);

describe('the SQLite driver for this Node', () => {
  it(`is better-sqlite3 13 (Node-API) on Node 22 and later, 12 on Node 20: here Node ${major}`, () => {
    expect(SQLITE_DRIVER).toBe(major >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3');
    const version = (createRequire(import.meta.url)(`${SQLITE_DRIVER}/package.json`) as { version: string }).version;
    expect(version.split('.')[0]).toBe(major >= 22 ? '13' : '12');
  });

  it('opens the bot\'s databases, and survives the statement churn that aborted Node 24 with 12', () => {
    const db = openDatabase(':memory:');
    expect(db).toBeInstanceOf(Sqlite);
    // Thousands of throwaway statements, then a collection: 12 on Node 24.19+ aborted here.
    for (let i = 0; i < 5_000; i++) db.prepare(`SELECT ${i} AS n`).get();
    (globalThis as { gc?: () => void }).gc?.();
    expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
    db.close();
  });
});
