import { describe, expect, it } from 'vitest';
import middaySweep from '../../schedules/midday-sweep.js';
import { toText } from '../../src/reply/text.js';
import { acknowledgeAlert, markEscalated, raiseAlert, resolveAlerts } from '../../src/store/alerts.js';
import { closeException } from '../../src/store/exceptions.js';
import { testBed } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';

// The README's cadence table says the midday sweep lists "every warning and critical alert not yet
// acknowledged (on an exception, the registry or a help question), with its owner, when it was raised
// and whether it has escalated; when none is waiting, it says so". One alert per row of this table
// (help questions are listed the same way: tests/commands/community.test.ts).
const now = new Date('2026-11-23T17:30:00Z');
type Setup = (db: ReturnType<typeof testBed>['db'], alertId: number, exceptionSeq: number) => void;
const cases: { name: string; level: 'warning' | 'critical'; on: 'exception' | 'registry'; setup: Setup; listed: RegExp | null }[] = [
  { name: 'a warning nobody acknowledged', level: 'warning', on: 'exception', setup: () => {}, listed: /#\d+ +warning +EX-00001 Account1 +sam +.* not acknowledged/ },
  { name: 'a critical that escalated', level: 'critical', on: 'exception', setup: (db, id) => markEscalated(db, id, now), listed: /#\d+ +critical +EX-00001 Account1 +sam +.* escalated/ },
  { name: 'the registry’s critical', level: 'critical', on: 'registry', setup: () => {}, listed: /#\d+ +critical +registry +— +.* not acknowledged/ },
  { name: 'an acknowledged alert', level: 'critical', on: 'exception', setup: (db, id) => acknowledgeAlert(db, id, { userId: 'U0REVMGR01', name: 'Maria Lopez', platform: 'slack' }, now), listed: null },
  { name: 'an alert on a closed exception', level: 'warning', on: 'exception', setup: (db, _id, seq) => closeException(db, seq, 'recovered', now), listed: null },
  { name: 'a resolved alert', level: 'warning', on: 'exception', setup: (db) => resolveAlerts(db, 'exception:1', 'answered', now), listed: null },
];

describe('the midday sweep lists what the README says it lists', () => {
  it.each(cases)('$name: $listed', async ({ level, on, setup, listed }) => {
    const b = testBed({ now: new Date('2026-11-23T15:00:00Z') });
    await b.run('/exceptions add quote=CRM-1 account=Account1 segment=smb reason="strategic logo" approved_by=Eli approved_by_role=executive owner=sam plan="upsell" target_date=2027-03-01');
    // A new exception raises no warning or critical: this row's alert is the only one the sweep could list.
    expect(b.db.prepare("SELECT COUNT(*) AS n FROM alerts WHERE level <> 'ok'").get()).toEqual({ n: 0 });
    const alert = raiseAlert(b.db, {
      scope: on === 'registry' ? 'registry' : 'exception:1', exceptionSeq: on === 'registry' ? null : 1, level, episode: 0,
      summary: 'x', recommendedAction: 'manager_followup', raisedAt: new Date('2026-11-23T16:00:00Z'), ackDeadline: null,
    });
    setup(b.db, alert?.id ?? 0, 1);
    const post = toText(middaySweep.build({ db: b.db, catalog: seedCatalog, config: b.config, now, slot: now, platforms: ['slack'] }));
    expect(post).toMatch(/^0-7 days +\d+$/m); // the aging bands head the post
    if (listed) expect(post).toMatch(listed);
    else expect(post).toContain('No warning or critical alert is waiting for an acknowledgement.');
  });
});
