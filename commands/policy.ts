import { z } from 'zod';
import { defineCommand, defineSubcommand } from '../src/core/command.js';
import { words } from '../src/core/input-types.js';
import { rollbackPolicy } from '../src/policy/rollback.js';
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
