import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { toText } from '../../src/reply/text.js';
import { testBed } from '../helpers/context.js';

const pat: Actor = { platform: 'slack', userId: 'U0PRICING1', name: 'Pat Kim', role: 'pricing_admin' };
const exceptionLine = 'quote=CRM-1 account=A segment=smb reason=x approved_by=Eli approved_by_role=executive owner=sam plan=p';

describe('typed commands: strict inputs, errors in the person’s words', () => {
  it.each([
    ['/quote k2p5 medium smb 2000 800 account=Acme Corp', '`Corp` looks like the rest of `account`: put quotes around it: account="Acme Corp".'],
    ['/quote complexity=low segment=smb input=1 output=1 discont=5', "I don't know `discont`. Did you mean `discount`?"],
    ['/quote complexity=low segment=smb estimated_input=0x10 output=1', '`estimated_input` must be a whole number from 0 to 100000000; you gave `0x10`.'],
    ['/quote complexity=low segment=smb input=1 output=1 account=' + 'A'.repeat(300), '`account` is too long: at most 120 characters; you gave 300.'],
    ['/quote segment=smb', '3 fields are missing: `complexity` (one of low, medium, high); `input`'],
    [`/exceptions add ${exceptionLine} target_recovery_date=2027-13-45`, '`target_recovery_date` must be a date as YYYY-MM-DD (e.g. 2026-11-21)'],
    [`/exceptions add ${exceptionLine} target_date=9999-99-99`, '`target_date` must be a date as YYYY-MM-DD'],
    [`/exceptions add ${exceptionLine} target_date=2027-01-31 approved_at=1`, '`approved_at` must be a time in ISO 8601 with a zone (e.g. 2026-11-21T14:30:00Z) or a date as YYYY-MM-DD'],
    ['/exceptions ack 0x10', '`0x10` is not an alert: type it as its post shows it, e.g. `/exceptions ack #12`.'],
    ['/exceptions ack true', '`true` is not an alert: type it as its post shows it, e.g. `/exceptions ack #12`.'],
    ['/exceptions ack #0x10', '`#0x10` is not an alert: type it as its post shows it, e.g. `/exceptions ack #12`.'],
    ['/report date=2027-13-45', '`date` must be a date as YYYY-MM-DD (e.g. 2026-11-21) from 2000-01-01 to 2100-12-31, or today or yesterday; you gave `2027-13-45`.'],
    ['/community stats month=26-1', '`month` must be a month as YYYY-MM; you gave `26-1`.'],
  ])('%s', async (line, message) => {
    const bed = testBed();
    const reply = await bed.run(line);
    expect(reply.error?.code).toBe('invalid_input');
    expect(reply.summary).toContain(message);
    expect(bed.count() + bed.count('exceptions')).toBe(0);
  });

  it.each(['0x10', 'true', '1e3', '$40'])('refuses /budget set %s and keeps the budget', async (amount) => {
    const bed = testBed();
    const reply = await bed.run(`/budget set ${amount}`, { actor: pat });
    expect(reply.summary).toContain(`\`amount\` must be a number from 0 to 1000000; you gave \`${amount}\`.`);
    expect(bed.count('budget_settings')).toBe(0);
  });

  it('answers /report with today, yesterday or a date, in the ops time zone', async () => {
    // 03:00 UTC on the 22nd is still the 21st in New York.
    const bed = testBed({ now: new Date('2026-11-22T03:00:00Z') });
    expect((await bed.run('/report')).data).toMatchObject({ date: '2026-11-21' });
    expect((await bed.run('/report today')).data).toMatchObject({ date: '2026-11-21' });
    expect((await bed.run('/report date=Yesterday')).data).toMatchObject({ date: '2026-11-20' });
    expect((await bed.run('/report 2026-10-01')).data).toMatchObject({ date: '2026-10-01' });
  });

  it('describes the date in /report help without the garbled description', async () => {
    const help = toText(await testBed().run('/report help'));
    expect(help).toContain('date: the day, in the ops time zone (default today), a date as YYYY-MM-DD (e.g. 2026-11-21) from 2000-01-01 to 2100-12-31, or today or yesterday; optional.');
    expect(help).not.toMatch(/\(the day|today\):/);
  });
});
