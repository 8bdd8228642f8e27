import { z } from 'zod';
import { defineCommand, defineSubcommand } from '../src/core/command.js';
import { calendarDate, choice, words } from '../src/core/input-types.js';
import { EXPECTED_MARGIN } from '../src/domain/policy-version.js';
import { calibrationReport } from '../src/policy/calibration.js';
import { proposeSeason } from '../src/policy/season-propose.js';
import { showPolicy } from '../src/policy/view.js';

/**
 * The pricing policy under change control (playbook §48-§52): the version in force and the pending
 * ones, history and diffs; proposals and their review; rollback; seasons; the monthly calibration.
 * Each area's handlers live in src/policy/; this file holds the schemas and wires them.
 */
export default defineCommand({
  name: 'policy',
  description: 'The pricing policy in force and the changes pending, with its history, diffs, change proposals and rollback.',
  examples: ['/policy'],
  input: () => z.strictObject({}),
  handler: (_input, ctx) => showPolicy(ctx),
  subcommands: {
    // --- versions: show, history, diff (src/policy/view.ts)
    // --- change process: propose, approve, reject (src/policy/change.ts)
    // --- rollback (src/policy/rollback.ts)
    // --- seasons and calibration (src/policy/season.ts, src/policy/calibration.ts)
    season: defineSubcommand({
      description: 'Pricing admins: schedule a season (§52); at its mandatory end the rules in force before it return.',
      examples: [
        '/policy season name="Q4 rush" changes="base_markup.high=5.5" start=2027-01-10 end=2027-01-31 rationale="rush demand" expected="higher margin on rush work" expected_margin=up rollback_criteria="high-complexity win rate under 30%"',
        '/policy season name="Black Friday" changes="segment_adjustment.smb=-1" start=2027-11-26 end=2027-12-02 promotion=yes rationale="year-end push" expected="more smb wins" expected_margin=down rollback_criteria="no rise in smb wins within the week"',
      ],
      input: () =>
        z.strictObject({
          name: words(80, 'what the season is called, e.g. "Q4 rush",'),
          changes: words(2000, 'the fields it changes, path=value separated by commas, e.g. base_markup.high=5.5,'),
          start: calendarDate('its first day (YYYY-MM-DD, OPS_TIMEZONE; it starts at 00:00),'),
          end: calendarDate('its last day (YYYY-MM-DD; it ends at 00:00 the day after),'),
          promotion: choice(['yes', 'no'], 'yes for a promotion (lowers prices: at most 20% off, at most 7 days),').default('no'),
          type: choice(['emergency'], 'emergency to skip the 30-day planning (takes effect at once, reviewed within 24 hours),').optional(),
          rationale: words(1000, 'why,'),
          drift: words(500, 'the metric drift it answers,').optional(),
          expected: words(500, 'the expected outcome,'),
          expected_margin: choice(EXPECTED_MARGIN, 'which way the average margin should move,'),
          rollback_criteria: words(500, 'when to roll it back,'),
        }),
      handler: (input, ctx) => proposeSeason(ctx, input),
    }),
    calibrate: defineSubcommand({
      description: 'Calibration (§50): 4 weeks by segment, win rate, quoted vs won price, margin vs target, signals.',
      examples: ['/policy calibrate'],
      input: () => z.strictObject({}),
      handler: (_input, ctx) => ({ ...calibrationReport(ctx.db, ctx.catalog.policyFile, ctx.now, ctx.config.timezone), visibility: 'ephemeral' }),
    }),
  },
  actions: {
    // --- change process buttons: approve, reject
    // --- rollback button
  },
});
