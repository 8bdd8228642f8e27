import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open.js';
import { spawnBot } from '../helpers/bot-process.js';

const BATCH = 500;

/**
 * kill -9 while writes are in flight: power cut on a Pi, the OOM killer. WAL and transactions must
 * leave a file that opens, passes quick_check, and holds each decision whole or not at all.
 */
describe('a bot killed with SIGKILL in the middle of writes', () => {
  it('leaves a database that opens, passes quick_check and holds no half-written decision', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'j1msky-crash-')), 'ops.db');
    const bot = spawnBot({ DATABASE_PATH: path, RISK_TICK_SECONDS: '1' });
    const url = await bot.started;
    const approvedAt = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    const post = (route: string, body: unknown) =>
      fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status, () => 0);

    let answered = 0;
    let n = 0;
    let dead = false;
    // Exceptions (the row and its alert in one transaction) and large usage batches, four at a time.
    const writer = async () => {
      while (!dead) {
        const i = (n += 1);
        const status =
          i % 2
            ? await post('/api/exceptions', { quote_id: `CRM-${i}`, account: `Acct ${i}`, segment: 'smb', reason: 'logo', approved_by: 'Eli', approved_by_role: 'executive', owner: 'sam', recovery_plan: 'upsell', target_recovery_date: '2027-12-01', approved_at: approvedAt })
            : await post('/api/usage', Array.from({ length: BATCH }, (_, k) => ({ event_id: `b${i}-${k}`, task_id: `batch-${i}`, model: 'k2p5', input_tokens: 1000, output_tokens: 500 })));
        if (status >= 200 && status < 300) answered += 1;
      }
    };
    const writers = Array.from({ length: 4 }, writer);
    while (answered < 40) await new Promise((r) => setTimeout(r, 5));
    bot.child.kill('SIGKILL');
    dead = true;
    await bot.exited;
    await Promise.all(writers);

    // The crash left committed work in the -wal, not yet in the file: opening must recover it.
    expect(existsSync(`${path}-wal`)).toBe(true);
    const db = openDatabase(path); // runs quick_check: it throws on a damaged file
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const exceptions = db.prepare('SELECT seq FROM exceptions').all() as { seq: number }[];
    expect(exceptions.length).toBeGreaterThan(0);
    const withoutAlert = db.prepare("SELECT e.seq FROM exceptions e LEFT JOIN alerts a ON a.scope = 'exception:' || e.seq WHERE a.id IS NULL").all();
    expect(withoutAlert).toEqual([]);
    const batches = db.prepare('SELECT task_id, COUNT(*) AS n FROM usage_events GROUP BY task_id').all() as { task_id: string; n: number }[];
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.filter((b) => b.n !== BATCH)).toEqual([]);
    db.close();
  }, 60_000);
});
