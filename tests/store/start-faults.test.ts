import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, openSync, readdirSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sqlite as Database } from '../../src/store/sqlite.js';
import { describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';
import { canTestFileModes, spawnBot } from '../helpers/bot-process.js';

/** A real database in a directory the bot (run as nobody when tests run as root) may write to. */
function healthyDatabase(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'j1msky-start-'));
  chmodSync(dir, 0o777);
  const path = join(dir, 'ops.db');
  const db = openDatabase(path);
  const insert = db.prepare("INSERT INTO ops_state (key, value) VALUES (?, ?)");
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`key-${i}`, 'x'.repeat(200));
  })();
  db.close();
  chmodSync(path, 0o666);
  return { dir, path };
}

const pageSize = 4096;
function overwrite(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

type Fault = { name: string; reason: RegExp; make: (db: { dir: string; path: string }) => void };
// Root writes through any file mode: these need a user the modes apply to (see bot-process.ts).
const modeFaults: Fault[] = [
  { name: 'a read-only file (0444)', reason: /the file is not writable/, make: ({ path }) => chmodSync(path, 0o444) },
  { name: 'a read-only directory (0555)', reason: /its directory .* is not writable .*-wal and -shm/, make: ({ dir }) => chmodSync(dir, 0o555) },
];
const contentFaults: Fault[] = [
  {
    name: 'a file with damaged pages',
    reason: /quick_check found damage|malformed/,
    // The pages past the schema hold the table's b-tree: garbage there is what a bad SD card leaves.
    make: ({ path }) => overwrite(path, 20 * pageSize, Buffer.alloc(3 * pageSize, 0x5a)),
  },
  { name: 'a file that is not a database', reason: /not a database/, make: ({ path }) => overwrite(path, 0, Buffer.from('this is not SQLite at all')) },
  {
    name: 'a database written by newer code',
    reason: /newer than this code knows/,
    make: ({ path }) => {
      const db = new Database(path);
      db.pragma(`user_version = ${listMigrations().length + 1}`);
      db.close();
    },
  },
];

async function refuses({ reason, make }: Fault) {
  const db = healthyDatabase();
  make(db);
  const before = digest(db.path);
  const bot = spawnBot({ DATABASE_PATH: db.path }, { asUnprivileged: true });
  expect(await bot.exited).toBe(1);
  const out = bot.output().trim();
  expect(out.split('\n')).toHaveLength(1);
  expect(out).toContain(`j1msky-ops cannot start: the database ${db.path} cannot be used: `);
  expect(out).toMatch(reason);
  expect(out).not.toMatch(/\n\s+at /);
  expect(readdirSync(db.dir)).toEqual(['ops.db']);
  // Refused means untouched: a damaged file is not written on.
  expect(digest(db.path)).toBe(before);
}

describe('a start that cannot use its database', () => {
  it.skipIf(!canTestFileModes).each(modeFaults)('refuses $name in one line naming the file, and leaves no -wal/-shm', refuses, 30_000);
  it.each(contentFaults)('refuses $name in one line naming the file, and leaves no -wal/-shm', refuses, 30_000);

  it.skipIf(!canTestFileModes)('keeps a -wal that was there before a failed start: it may hold committed transactions', async () => {
    const { dir, path } = healthyDatabase();
    const writer = new Database(path);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("INSERT INTO ops_state (key, value) VALUES ('committed', 'in the wal')").run();
    const wal = readFileSync(`${path}-wal`);
    chmodSync(dir, 0o555);
    const bot = spawnBot({ DATABASE_PATH: path }, { asUnprivileged: true });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toMatch(/is not writable/);
    expect(readFileSync(`${path}-wal`).equals(wal)).toBe(true);
    chmodSync(dir, 0o777);
    writer.close();
    const db = openDatabase(path);
    expect(db.prepare("SELECT value FROM ops_state WHERE key = 'committed'").get()).toEqual({ value: 'in the wal' });
    db.close();
  }, 30_000);
});
