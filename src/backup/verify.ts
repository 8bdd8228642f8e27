import type BetterSqlite3 from 'better-sqlite3';
import { Sqlite as Database } from '../store/sqlite.js';
import { listMigrations } from '../store/migrate.js';

/**
 * Whether a backup file can be trusted: it opens read-only, passes quick_check and holds the schema
 * version this code writes (an older one could not be restored without a migration surprise; a
 * newer one not at all; `allowOlder` accepts an older one, which a restore migrates forward).
 * Returns the reason it cannot, or null.
 */
export function backupProblem(file: string, expectedVersion = listMigrations().length, allowOlder = false): string | null {
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') return `quick_check found damage: ${String(check)}`;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > expectedVersion || (version < expectedVersion && !allowOlder)) return `schema version ${version}, not this code's ${expectedVersion}`;
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    db?.close();
  }
}
