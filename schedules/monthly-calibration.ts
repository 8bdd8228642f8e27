import { defineSchedule } from '../src/core/schedule.js';
import { calibrationReport } from '../src/policy/calibration.js';

/**
 * Playbook §50: the monthly calibration cycle, posted to the ops channel on the first Monday of the
 * month (cron-parser's `1#1`) so the team reads it at the start of a working week.
 */
export default defineSchedule({
  name: 'monthly-calibration',
  title: 'Monthly pricing calibration',
  cron: '0 9 * * 1#1',
  build: (ctx) => calibrationReport(ctx.db, ctx.catalog.policyFile, ctx.slot, ctx.config.timezone),
});
