import type BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sqlite as Database } from '../../src/store/sqlite.js';
import { describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, DatabaseBusyError, isBusy, retryWhileBusy, unlessBusy } from '../../src/store/busy.js';
import { openDatabase } from '../../src/store/open.js';

/** A bot connection and a second connection (another process, as far as SQLite can tell) on one file. */
function twoConnections() {
  const path = join(mkdtempSync(join(tmpdir(), 'j1msky-busy-')), 'ops.db');
  const bot = openDatabase(path);
  const other = new Database(path);
  return { bot, other, close: () => (bot.close(), other.close()) };
}
const write = (db: BetterSqlite3.Database, key: string) => db.prepare('INSERT INTO ops_state (key, value) VALUES (?, ?)').run(key, 'v');
const rows = (db: BetterSqlite3.Database) => (db.prepare('SELECT COUNT(*) AS n FROM ops_state').get() as { n: number }).n;

describe('telling a busy database from other failures', () => {
  const sqliteError = (code: string) => new Database.SqliteError('x', code);
  it.each([
    ['SQLITE_BUSY', true],
    ['SQLITE_BUSY_SNAPSHOT', true],
    ['SQLITE_BUSY_RECOVERY', true],
    ['SQLITE_LOCKED', true],
    ['SQLITE_LOCKED_SHAREDCACHE', true],
    ['SQLITE_BUSYNESS', false],
    ['SQLITE_CONSTRAINT_UNIQUE', false],
    ['SQLITE_READONLY', false],
    ['SQLITE_CORRUPT', false],
  ])('%s is busy: %s', (code, busy) => expect(isBusy(sqliteError(code))).toBe(busy));
  it('a plain Error naming SQLITE_BUSY is not one', () => expect(isBusy(new Error('SQLITE_BUSY'))).toBe(false));
});

describe('the bot connection', () => {
  it(`waits at most ${BUSY_TIMEOUT_MS} ms per statement, so a lock never holds the event loop for seconds`, () => {
    const { bot, other, close } = twoConnections();
    expect(bot.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    expect(() => write(bot, 'k')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    expect(Date.now() - started).toBeLessThan(200);
    // Reads need no write lock in WAL mode: they answer while the other connection writes.
    expect(rows(bot)).toBe(0);
    other.exec('ROLLBACK');
    close();
  });
});

describe('retryWhileBusy', () => {
  it('runs the work again once the lock is released, off the event loop', async () => {
    const { bot, other, close } = twoConnections();
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    setTimeout(() => other.exec('COMMIT'), 300);
    let attempts = 0;
    await retryWhileBusy(() => {
      attempts += 1;
      write(bot, 'k');
    });
    clearInterval(ticker);
    expect(attempts).toBeGreaterThan(1);
    expect(rows(bot)).toBe(1);
    // Timers kept firing while the work waited: the loop was free.
    expect(ticks).toBeGreaterThan(10);
    close();
  });

  it('gives up after its budget with DatabaseBusyError, having written nothing', async () => {
    const { bot, other, close } = twoConnections();
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const outcome = retryWhileBusy(() => bot.transaction(() => (write(bot, 'a'), write(bot, 'b')))(), { budgetMs: 300 });
    await expect(outcome).rejects.toBeInstanceOf(DatabaseBusyError);
    expect(Date.now() - started).toBeLessThan(1_000);
    other.exec('ROLLBACK');
    expect(rows(bot)).toBe(0);
    close();
  });

  it.each([
    ['a constraint violation', () => { throw new Database.SqliteError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'); }],
    ['a bug', () => { throw new TypeError('x is undefined'); }],
  ])('does not retry %s', async (_name, work) => {
    let attempts = 0;
    await expect(retryWhileBusy(() => (attempts++, work()))).rejects.not.toBeInstanceOf(DatabaseBusyError);
    expect(attempts).toBe(1);
  });

  it('skips a cache write under a lock instead of failing the read that wanted it', () => {
    const { bot, other, close } = twoConnections();
    other.exec('BEGIN IMMEDIATE');
    expect(unlessBusy(() => write(bot, 'cache'))).toBe(false);
    other.exec('ROLLBACK');
    expect(unlessBusy(() => write(bot, 'cache'))).toBe(true);
    expect(() => unlessBusy(() => write(bot, 'cache'))).toThrow(/UNIQUE/);
    close();
  });
});
