import type { CommandContext } from '../core/command.js';
import { nextState } from '../domain/quote-life.js';
import type { Person } from '../domain/team.js';
import type { ProposalRecord } from '../store/proposals.js';
import { moveQuote } from './move.js';

/**
 * Closes the open quotes of a proposal whose opportunity an executive declined: each moves to
 * declined with the executive named in its history, so no option of it can still be sent. Quotes
 * already sent, won, lost or closed keep their state. Run inside the decision's transaction.
 */
export function withdrawOptions(ctx: CommandContext, proposal: ProposalRecord, person: Person | undefined): string[] {
  const withdrawn: string[] = [];
  for (const { quote } of proposal.options) {
    const event = { kind: 'withdraw', proposalId: proposal.id } as const;
    if (!nextState(quote.state, event).ok) continue;
    moveQuote(ctx.db, {
      quote,
      event,
      actor: ctx.actor,
      team: ctx.catalog.team,
      person: person ?? null,
      now: ctx.now,
      note: `The opportunity was declined in ${proposal.id}'s executive review.`,
    });
    withdrawn.push(quote.id);
  }
  return withdrawn;
}
