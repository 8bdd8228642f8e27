import { describe, expect, it } from 'vitest';
import { eventsAfter } from '../../src/events/emit.js';
import { loadConfig } from '../../src/config.js';
import { readFigures } from '../../src/metrics/figures.js';
import { overdueApprovals, pendingApprovals } from '../../src/store/approvals.js';
import { keptBackups, latestBackups } from '../../src/store/backups.js';
import { accountsWhoseRiskRose, overdueAlerts, unacknowledgedAlerts } from '../../src/store/alerts.js';
import { exceptionActivity, listOpenExceptions, openExceptionsAt, quoteRefsWithExceptions } from '../../src/store/exceptions.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { dueItems, hasPendingAlertPost, hasPendingPost, heldOvernight, platformsWithAlert, platformsWithPost } from '../../src/store/outbox.js';
import { escalatedQuoteIdsBetween, listQuotesBetween, quoteTakingsBetween, quoteTallyBetween } from '../../src/store/quotes.js';
import { pruneHistory } from '../../src/store/retention.js';
import { commandFailures, spendByModel, spendMicros } from '../../src/store/usage.js';

const at = new Date('2026-11-20T12:00:00Z');
const week = { from: new Date('2026-11-13T12:00:00Z'), to: at };

/**
 * The statements a repository function actually prepares, captured from a fresh database (so the
 * statement cache is empty and every statement is prepared), then explained. Pinning the real SQL,
 * not a copy of it, means a rewrite that loses its index fails here.
 */
function preparedBy(call: (db: Db) => unknown): { sql: string; plan: string[] }[] {
  const db = openDatabase(':memory:');
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as Db['prepare'];
  call(db);
  db.prepare = prepare as Db['prepare'];
  return seen.map((sql) => {
    const params = (sql.match(/\?/g) ?? []).map(() => null);
    // A DELETE ... WHERE id IN (SELECT ...) is explained as its SELECT: the walk is what must be indexed.
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
    return { sql, plan };
  });
}

const INDEXED = /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|USING PRIMARY KEY/;

/** Partial indexes hold only the live rows (pending, open, unacknowledged): walking one is bounded by what is live, not by history. */
function partialIndexes(db: Db): Set<string> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return new Set(tables.flatMap((t) => (db.pragma(`index_list(${t.name})`) as { name: string; partial: number }[]).filter((i) => i.partial === 1).map((i) => i.name)));
}

/** A step that walks a whole table or a whole full index: what grows with history. */
function wholeWalks(plan: string[], partial: Set<string>): string[] {
  return plan.filter((d) => {
    const scan = /^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?/.exec(d);
    if (!scan || d.includes('VIRTUAL TABLE')) return false;
    return !(scan[2] && partial.has(scan[2]));
  });
}

const cases: [string, (db: Db) => unknown][] = [
  ['dueItems (the outbox poll, every second)', (db) => dueItems(db, ['slack', 'discord'], at)],
  ['dueItems on one platform', (db) => dueItems(db, ['slack'], at)],
  ['heldOvernight (morning triage)', (db) => heldOvernight(db, week.from, at)],
  ['hasPendingAlertPost', (db) => hasPendingAlertPost(db, 1, 'slack')],
  ['platformsWithAlert', (db) => platformsWithAlert(db, 1)],
  ['hasPendingPost', (db) => hasPendingPost(db, 'approval:1', 'slack')],
  ['platformsWithPost', (db) => platformsWithPost(db, 'approval:1')],
  ['unacknowledgedAlerts (sweep, closure, follow-up, handoff, brief)', (db) => unacknowledgedAlerts(db)],
  ['overdueAlerts (risk loop)', (db) => overdueAlerts(db, at)],
  ['accountsWhoseRiskRose (handoff)', (db) => accountsWhoseRiskRose(db, week.from, at)],
  ['exceptionActivity (retro)', (db) => exceptionActivity(db, week.from, at)],
  ['openExceptionsAt (retro)', (db) => openExceptionsAt(db, at)],
  ['quoteRefsWithExceptions (retro)', (db) => quoteRefsWithExceptions(db, ['Q-00001', 'Q-00002'])],
  ['listOpenExceptions (/exceptions, /api/exceptions)', (db) => listOpenExceptions(db)],
  ['commandFailures (/budget)', (db) => commandFailures(db, 'quote', week.from, 'internal_error')],
  ['quoteTallyBetween (retro)', (db) => quoteTallyBetween(db, week.from, at)],
  ['quoteTakingsBetween (exec brief)', (db) => quoteTakingsBetween(db, week.from, at)],
  ['escalatedQuoteIdsBetween (retro)', (db) => escalatedQuoteIdsBetween(db, week.from, at)],
  ['listQuotesBetween (posts)', (db) => listQuotesBetween(db, week.from, at)],
  ['spendMicros (budget)', (db) => spendMicros(db, week)],
  ['spendByModel (budget)', (db) => spendByModel(db, week)],
  ['eventsAfter (webhook publisher)', (db) => eventsAfter(db, 0)],
  ['pruneHistory (every clock tick)', (db) => pruneHistory(db, at)],
  ['pendingApprovals (/desk, triage, closure gate)', (db) => pendingApprovals(db)],
  ['overdueApprovals (risk loop)', (db) => overdueApprovals(db, at)],
  ['latestBackups (every minute, /healthz)', (db) => latestBackups(db)],
  ['keptBackups (retention)', (db) => keptBackups(db)],
  ['readFigures (GET /metrics, every scrape)', (db) => readFigures({ db, config: loadConfig({}) }, ['morning-triage'], at)],
];

describe('query plans on tables that only grow', () => {
  it.each(cases)('%s reads through an index, never a whole table', (_name, call) => {
    const statements = preparedBy(call);
    const partial = partialIndexes(openDatabase(':memory:'));
    expect(statements.length).toBeGreaterThan(0);
    for (const { sql, plan } of statements) {
      // The newest row by rowid: SQLite steps backwards from the end once, whatever the table holds.
      if (/ORDER BY id DESC LIMIT 1$/.test(sql.trim())) continue;
      expect({ sql, scans: wholeWalks(plan, partial) }).toEqual({ sql, scans: [] });
      expect({ sql, indexed: plan.some((d) => INDEXED.test(d)) }).toEqual({ sql, indexed: true });
    }
  });

  it('the outbox poll reads the pending rows through outbox_due, whatever the platforms', () => {
    for (const platforms of [['slack'], ['slack', 'discord'], ['slack', 'discord', 'console']] as const) {
      const [poll] = preparedBy((db) => dueItems(db, platforms, at));
      expect(poll?.plan.join(' | ')).toMatch(/SEARCH outbox USING INDEX outbox_due \(next_attempt_at<\?\)/);
    }
  });
});
