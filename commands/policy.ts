import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
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
  },
  actions: {
    // --- change process buttons: approve, reject
    // --- rollback button
  },
});
