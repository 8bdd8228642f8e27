import { z } from 'zod';
import { defineCommand, defineSubcommand } from '../src/core/command.js';
import { calendarDate, choice, instant, wholeNumber, words } from '../src/core/input-types.js';
import { CHANGE_TYPES, EXPECTED_MARGIN } from '../src/domain/policy-version.js';
import { calibrationReport } from '../src/policy/calibration.js';
import { proposeChange } from '../src/policy/change.js';
import { HISTORY_MAX, policyDiff, policyHistory } from '../src/policy/history.js';
import { decideReview, requireReviewable } from '../src/policy/review-decision.js';
import { rollbackPolicy } from '../src/policy/rollback.js';
import { proposeSeason } from '../src/policy/season-propose.js';
import { showPolicy, showVersion } from '../src/policy/view.js';
import { reply, text } from '../src/reply/reply.js';

/** A version as people type it: the full id or its short form, 2026-11-22b. */
const versionId = (what: string) => words(60, `${what}, e.g. 2026-11-22b or pricing_policy_v2026-11-22b,`);
const policyVersionId = versionId('the version');

/**
 * The pricing policy under change control (playbook §48-§52): the version in force and the pending
 * ones, history and diffs; proposals and their review; rollback; seasons; the monthly calibration.
 * Each area's handlers live in src/policy/; this file holds the schemas and wires them.
 */
export default defineCommand({
  name: 'policy',
  description: 'The pricing policy in force and the changes pending, with its history, diffs, change proposals and rollback.',
  examples: ['/policy', '/policy history', '/policy diff 2026-11-22a 2026-11-22b', '/policy show 2026-11-22b'],
  input: () => z.strictObject({}),
  handler: (_input, ctx) => showPolicy(ctx),
  subcommands: {
    // --- versions: show, history, diff (src/policy/view.ts, src/policy/history.ts)
    show: defineSubcommand({
      description: 'One policy version whole: its figures, its §48 record, its state and what it changed.',
      examples: ['/policy show 2026-11-22b'],
      input: () => z.strictObject({ version: versionId('the version') }),
      handler: (input, ctx) => showVersion(ctx, input.version),
    }),
    history: defineSubcommand({
      description: 'Every policy version, newest first: kind, type, state, when, who and why, and rollbacks.',
      examples: ['/policy history', '/policy history limit=20'],
      input: () => z.strictObject({ limit: wholeNumber(`how many to show (at most ${HISTORY_MAX}),`, 1, HISTORY_MAX).default(10) }),
      handler: (input, ctx) => policyHistory(ctx, input.limit),
    }),
    diff: defineSubcommand({
      description: 'Two policy versions field by field, before -> after; one version alone against its previous.',
      examples: ['/policy diff 2026-11-22a 2026-11-22b', '/policy diff 2026-11-22b'],
      input: () => z.strictObject({ a: versionId('the version to compare from (or, alone, the version to compare with its previous)'), b: versionId('the version to compare to').optional() }),
      handler: (input, ctx) => policyDiff(ctx, input.a, input.b),
    }),
    // --- change process: propose, approve, reject (src/policy/change.ts, src/policy/review-decision.ts)
    propose: defineSubcommand({
      description: 'Pricing admins: propose a change to the policy in force (§48), sent for review; its type is checked, the guardrails kept.',
      examples: [
        '/policy propose changes="base_markup.medium=4.5" rationale="Medium work underpriced against effort" drift="medium margin 8 points under target for 4 weeks" expected="medium margin back to target" expected_margin=up rollback_criteria="medium win rate under 30% for 2 weeks"',
        '/policy propose changes="price_floor_usd=0.6" type=major rationale="..." drift="..." expected="..." expected_margin=up rollback_criteria="..." effective=2026-12-01T09:00:00-05:00',
      ],
      input: () =>
        z.strictObject({
          changes: words(2000, 'the fields to change, path=value separated by commas or lines, e.g. base_markup.medium=4.5, price_floor_usd=0.6,'),
          type: choice(CHANGE_TYPES, 'the change type; checked against the change, computed when left out (emergency takes effect at once),').optional(),
          rationale: words(1000, 'why the change,'),
          drift: words(1000, 'the metric drift it answers,'),
          expected: words(1000, 'the expected outcome,'),
          expected_margin: choice(EXPECTED_MARGIN, 'which way the average margin should move,'),
          rollback_criteria: words(1000, 'when to roll it back,'),
          effective: instant('a later time to take effect, if asked,').optional(),
        }),
      handler: (input, ctx) => proposeChange(ctx, input),
    }),
    approve: defineSubcommand({
      description: 'Review a proposed change: approve it (minor: a revenue manager or an executive; major and emergency: an executive).',
      examples: ['/policy approve pricing_policy_v2026-11-22b', '/policy approve pricing_policy_v2026-11-22b note="checked against the Q4 numbers"'],
      input: () => z.strictObject({ version: policyVersionId, note: words(1000, 'a note for the record,').optional() }),
      handler: (input, ctx) => decideReview(ctx, input.version, 'approve', input.note ?? null),
    }),
    reject: defineSubcommand({
      description: 'Review a proposed change: reject it, saying why.',
      examples: ['/policy reject pricing_policy_v2026-11-22b note="wait for the Q4 calibration"'],
      input: () => z.strictObject({ version: policyVersionId, note: words(1000, 'why it is rejected,') }),
      handler: (input, ctx) => decideReview(ctx, input.version, 'reject', input.note),
    }),
    // --- rollback (src/policy/rollback.ts)
    rollback: defineSubcommand({
      description: 'Roll back the version in force to the one before it (§49), or cancel a version approved for later; lists the open quotes to re-issue.',
      examples: ['/policy rollback', '/policy rollback pricing_policy_v2026-11-22b note="margins fell 15% in two days"'],
      input: () =>
        z.strictObject({
          version: words(60, 'the version to roll back, e.g. pricing_policy_v2026-11-22b (default: the version in force),').optional(),
          note: words(1000, 'why, for the record and the sales channel,').optional(),
        }),
      handler: (input, ctx) => rollbackPolicy(ctx, input.version, input.note ?? null),
    }),
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
    approve: (value, ctx) => ({ kind: 'reply', reply: decideReview(ctx, value, 'approve', null) }),
    // A rejection says why, so the button opens the reject form, once the presser may reject it.
    reject(value, ctx) {
      const v = requireReviewable(ctx, value, 'reject');
      const message = `Say why ${v.id} is rejected: /policy reject ${v.id} note="why"`;
      return { kind: 'form', command: 'policy', subcommand: 'reject', values: { version: v.id }, reply: reply(message, [text(message)]) };
    },
    // --- rollback button
    rollback: (value, ctx) => ({ kind: 'reply', reply: rollbackPolicy(ctx, value, null) }),
  },
});
