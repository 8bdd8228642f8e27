import type { Db } from './open.js';
import { stmt } from './statements.js';

/** Small named facts the shell keeps across restarts. */
export function getState(db: Db, key: string): string | undefined {
  return stmt<[string], { value: string }>(db, 'SELECT value FROM ops_state WHERE key = ?').get(key)?.value;
}

export function setState(db: Db, key: string, value: string): void {
  stmt(db, 'INSERT INTO ops_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteStatePrefix(db: Db, prefix: string): void {
  stmt(db, 'DELETE FROM ops_state WHERE key >= ? AND key < ?').run(prefix, `${prefix}\uffff`);
}
