import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointNow, startCheckpoints } from '../../src/store/checkpoint.js';
import { openDatabase } from '../../src/store/open.js';
import { silentLog } from '../helpers/context.js';

describe('WAL checkpoints off the request path', () => {
  it('turns the automatic checkpoint off, and folds the WAL back on its own schedule and at stop', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'j1msky-ckpt-')), 'ops.db'));
    const checkpoints = startCheckpoints(db, silentLog, 60_000);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.exec('CREATE TABLE t (v TEXT)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    // Far past SQLite's 1,000-page automatic threshold: no commit paid for a checkpoint.
    for (let i = 0; i < 3000; i++) insert.run('x'.repeat(2000));
    const [pending] = db.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
    expect(pending?.log).toBeGreaterThan(1000);
    expect(pending?.checkpointed).toBe(0);
    const done = checkpointNow(db, silentLog);
    expect(done?.checkpointed).toBe(done?.log);
    checkpoints.stop();
    db.close();
  });
});
