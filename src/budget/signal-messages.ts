import type { Platform } from '../domain/actor.js';
import type { BudgetSignal, BudgetStatus } from '../domain/budget.js';
import { formatUsd } from '../domain/money.js';
import { destinationsFor, executiveSponsor, peopleWithRole, type Team } from '../domain/team.js';
import { mentionOf } from '../reply/inline.js';
import { context, reply, text, type Reply } from '../reply/reply.js';

const WHAT = {
  warning: { level: 'warning', action: 'review spend by model with /budget' },
  pause: { level: 'warning', action: 'non-essential work paused; model policy k2p5_only (Opus paused)' },
  critical: { level: 'critical', action: 'daily budget spent: executive decision on further spend' },
} as const;

/** Where a budget signal goes: the ops channel for the revenue manager; a critical also pages the sponsor. */
export function signalDestinations(team: Team, platform: Platform, signal: BudgetSignal): string[] {
  return destinationsFor(team, platform, signal === 'critical' ? ['ops', 'exec'] : ['ops'], signal === 'critical');
}

export function budgetSignalReply(signal: BudgetSignal, status: BudgetStatus, team: Team): Reply {
  const w = WHAT[signal];
  const line = `[Budget: ${w.level}] Today's AI spend ${formatUsd(status.spent)} is ${status.utilizationPct.toFixed(2)}% of the ${formatUsd(status.budget)} daily budget | Next action: ${w.action}`;
  const people = signal === 'critical' ? [executiveSponsor(team), ...peopleWithRole(team, 'revenue_manager')] : peopleWithRole(team, 'revenue_manager');
  const tell = people.filter((p) => p !== undefined).map(mentionOf);
  return reply(line, [text(`**${line}**`), ...(tell.length ? [text(`For: ${tell.join(' ')}`)] : []), context('Sent once a day per level. /budget shows where the money went.')], 'channel');
}
