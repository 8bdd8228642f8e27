import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open.js';
import type { ProposalRaceStart } from '../helpers/proposal-race-worker.js';
import { testBed } from '../helpers/context.js';

// Two real processes on one database file (better-sqlite3 is synchronous: inside one process two
// clicks only ever run in turn), deciding the same executive review at the same moment.
const ROUNDS = 30;
const worker = new URL('../helpers/proposal-race-worker.ts', import.meta.url).pathname;
let children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children) if (c.connected) c.kill();
  children = [];
});

const next = <T>(child: ChildProcess) => new Promise<T>((resolve, reject) => {
  child.once('message', (m) => resolve(m as T));
  child.once('exit', (code) => reject(new Error(`race worker exited with ${code}`)));
});

it('two executives deciding one proposal at once: exactly one decision is recorded and its copies refreshed once', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'j1msky-proposal-race-')), 'ops.db');
  const db = openDatabase(path);
  const bed = testBed({ db });
  for (let i = 0; i < ROUNDS; i += 1) {
    const r = await bed.run('/proposal account=Initech segment=smb model=sonnet input=100k output=100k base="low discount=15" recommended="medium discount=40" premium=high', { platforms: ['slack'] });
    expect(r.error).toBeUndefined();
  }
  children = (['A', 'B'] as const).map(() => fork(worker, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  await Promise.all(children.map((c, i) => {
    const ready = next(c);
    c.send({ start: { path, who: i === 0 ? 'A' : 'B' } satisfies ProposalRaceStart });
    return ready;
  }));
  const rounds: string[][] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const results = children.map((c) => next<{ outcome: string }>(c));
    for (const c of children) c.send({ go: round });
    rounds.push((await Promise.all(results)).map((r) => r.outcome));
  }
  for (const c of children) c.send({ stop: true });

  expect(rounds.flat().filter((o) => o.startsWith('error'))).toEqual([]);
  expect(rounds.map((r) => r.filter((o) => o === 'won').length)).toEqual(rounds.map(() => 1));
  const recorded = db.prepare('SELECT exec_review, exec_user_name AS name FROM proposals ORDER BY seq').all();
  expect(recorded).toEqual(rounds.map((r) => (r[0] === 'won' ? { exec_review: 'rework', name: 'Executive A' } : { exec_review: 'declined', name: 'Executive B' })));
  // One refresh of the posted request per proposal (Slack's exec channel), and no other message: the
  // rep asked on the console, which the deciders do not deliver to.
  // A decline also refreshes the desk requests of the options it withdraws; the review's copies are refreshed once.
  const refreshed = db.prepare("SELECT subject, COUNT(*) AS n FROM outbox WHERE kind = 'post_refresh' AND subject LIKE 'proposal_review:%' GROUP BY subject ORDER BY MIN(id)").all();
  expect(refreshed).toEqual(rounds.map((_, i) => ({ subject: `proposal_review:${i + 1}`, n: 1 })));
  expect(db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'message'").get()).toEqual({ n: 0 });
  db.close();
}, 60_000);
