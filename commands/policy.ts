import { z } from 'zod';
import { defineCommand, defineSubcommand } from '../src/core/command.js';
import { rollbackPolicy } from '../src/policy/rollback.js';
import { wholeNumber, words } from '../src/core/input-types.js';
import { HISTORY_MAX, policyDiff, policyHistory } from '../src/policy/history.js';
import { showPolicy, showVersion } from '../src/policy/view.js';

/** A version as people type it: the full id or its short form, 2026-11-22b. */
const versionId = (what: string) => words(60, `${what}, e.g. 2026-11-22b or pricing_policy_v2026-11-22b,`);

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
    // --- change process: propose, approve, reject (src/policy/change.ts)
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
  },
  actions: {
    // --- change process buttons: approve, reject
    // --- rollback button
    rollback: (value, ctx) => ({ kind: 'reply', reply: rollbackPolicy(ctx, value, null) }),
  },
});
