import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file, i) => {
      const version = Number(file.slice(0, 4));
      if (version !== i + 1) throw new Error(`migration ${file} is out of sequence: expected version ${i + 1}`);
      return { version, name: file, sql: readFileSync(`${dir}/${file}`, 'utf8') };
    });
}

/**
 * Applies pending migrations, forward only, in one transaction, and records the version in
 * PRAGMA user_version. A database written by newer code is refused rather than guessed at.
 */
export function migrate(db: Database.Database, migrations = listMigrations(), target = migrations.length): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `the database is at schema version ${current}, newer than this code knows (${migrations.length}); upgrade the bot`,
    );
  }
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    db.pragma(`user_version = ${target}`);
  }).immediate();
  return target;
}
