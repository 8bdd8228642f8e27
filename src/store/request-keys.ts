import type { Db } from './open.js';
import { stmt } from './statements.js';

/** `new`: first use; `same`: a retry of the same request; `conflict`: the key was used for another request. */
export type RequestKeyClaim = 'new' | 'same' | 'conflict';

export function claimRequestKey(db: Db, key: string, requestHash: string, command: string, at: Date): RequestKeyClaim {
  const inserted = stmt(
    db,
    'INSERT INTO request_keys (key, request_hash, command, first_seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
  ).run(key, requestHash, command, at.toISOString()).changes;
  if (inserted === 1) return 'new';
  const row = stmt<[string], { request_hash: string }>(db, 'SELECT request_hash FROM request_keys WHERE key = ?').get(key);
  return row?.request_hash === requestHash ? 'same' : 'conflict';
}

/** Frees a key whose request was refused, so the corrected request may use it. */
export function releaseRequestKey(db: Db, key: string): void {
  stmt(db, 'DELETE FROM request_keys WHERE key = ?').run(key);
}
