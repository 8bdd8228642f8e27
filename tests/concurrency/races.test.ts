import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { raiseAlert } from '../../src/store/alerts.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { enqueue } from '../../src/store/outbox.js';
import type { RaceOp, RaceResult, RaceStart } from '../helpers/race-worker.js';

// Two real processes, each with its own connection to one database file, do the same thing at the same
// moment, round after round: what a double click, two managers, two bots on one Pi or a retried request
// does. better-sqlite3 is synchronous, so racing inside one process would only ever run them in turn.
const ROUNDS = 60;
const worker = new URL('../helpers/race-worker.ts', import.meta.url).pathname;
let children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children) if (c.connected) c.kill();
  children = [];
});

const next = <T>(child: ChildProcess) => new Promise<T>((resolve, reject) => {
  child.once('message', (m) => resolve(m as T));
  child.once('exit', (code) => reject(new Error(`race worker exited with ${code}`)));
});

/** Forks two contenders on the file, then starts every round in both at once; returns each round's two outcomes. */
async function race(op: RaceOp, path: string): Promise<string[][]> {
  children = (['A', 'B'] as const).map(() => fork(worker, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  await Promise.all(children.map((c, i) => {
    const ready = next(c);
    c.send({ start: { op, path, who: i === 0 ? 'A' : 'B' } satisfies RaceStart });
    return ready;
  }));
  const rounds: string[][] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const results = children.map((c) => next<RaceResult>(c));
    for (const c of children) c.send({ go: round });
    rounds.push((await Promise.all(results)).map((r) => r.outcome));
  }
  for (const c of children) c.send({ stop: true });
  return rounds;
}

function freshFile(): { path: string; db: Db } {
  const path = join(mkdtempSync(join(tmpdir(), 'j1msky-race-')), 'ops.db');
  return { path, db: openDatabase(path) };
}
const winners = (rounds: string[][]) => rounds.map((r) => r.filter((o) => o.startsWith('won')).length);

describe('two processes racing on one database file', () => {
  it('acknowledging the same alert: exactly one wins, its name is recorded, and one update is queued per platform', async () => {
    const { path, db } = freshFile();
    for (let i = 0; i < ROUNDS; i += 1) {
      const alert = raiseAlert(db, { scope: `race:${i}`, exceptionSeq: null, level: 'warning', episode: 0, summary: `race ${i}`, recommendedAction: 'manager_followup', raisedAt: new Date('2026-11-22T14:00:00Z'), ackDeadline: null });
      for (const platform of ['slack', 'discord'] as const) enqueue(db, { platform, kind: 'alert', destination: 'ops', alertId: alert?.id ?? null, at: new Date('2026-11-22T14:00:00Z') });
    }
    const rounds = await race('acknowledge', path);
    expect(rounds.flat().filter((o) => o.startsWith('error'))).toEqual([]);
    expect(winners(rounds)).toEqual(rounds.map(() => 1));
    const recorded = db.prepare('SELECT id, ack_user_name AS name FROM alerts ORDER BY id').all() as { id: number; name: string }[];
    expect(recorded.map((r) => r.name)).toEqual(rounds.map((r) => (r[0] === 'won' ? 'Maria Lopez' : 'Eli Brooks')));
    const refreshes = db.prepare("SELECT alert_id, COUNT(*) AS n FROM outbox WHERE kind = 'alert_refresh' GROUP BY alert_id").all() as { n: number }[];
    expect(refreshes.map((r) => r.n)).toEqual(rounds.map(() => 2));
    db.close();
  }, 60_000);

  it('claiming the same schedule slot: exactly one posts, and the slot is recorded and queued once', async () => {
    const { path, db } = freshFile();
    const rounds = await race('claim_slot', path);
    expect(rounds.flat().filter((o) => o.startsWith('error'))).toEqual([]);
    expect(winners(rounds)).toEqual(rounds.map(() => 1));
    expect(db.prepare("SELECT status, COUNT(*) AS n FROM schedule_runs GROUP BY status").all()).toEqual([{ status: 'posted', n: ROUNDS }]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'message'").get()).toEqual({ n: ROUNDS });
    db.close();
  }, 60_000);

  it('recording a quote under the same idempotency key: exactly one is created, and both are answered with it', async () => {
    const { path, db } = freshFile();
    const rounds = await race('record_quote', path);
    expect(rounds.flat().filter((o) => o.startsWith('error'))).toEqual([]);
    expect(winners(rounds)).toEqual(rounds.map(() => 1));
    const ids = rounds.map((r) => new Set(r.map((o) => o.split(' ')[1])));
    expect(ids.map((s) => s.size)).toEqual(rounds.map(() => 1));
    const stored = db.prepare('SELECT idempotency_key AS k, user_name AS name FROM quotes ORDER BY seq').all() as { k: string; name: string }[];
    expect(stored.map((s) => s.k)).toEqual(rounds.map((_, i) => `race-${i}`));
    expect(stored.map((s) => s.name)).toEqual(rounds.map((r) => (r[0]?.startsWith('won') ? 'Maria Lopez' : 'Eli Brooks')));
    db.close();
  }, 60_000);
});
