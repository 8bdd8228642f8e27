import type { Team } from '../domain/team.js';
import type { Reply } from '../reply/reply.js';
import type { Db } from '../store/open.js';
import { getProposal, proposalSeqOfReviewSubject } from '../store/proposals.js';
import { execRequestReply } from './proposal-view.js';

/** A proposal's executive review post as it stands now, for the outbox; null for any other subject, or one gone. */
export function renderProposalReviewSubject(db: Db, team: Team, timezone: string, subject: string): Reply | null {
  const seq = proposalSeqOfReviewSubject(subject);
  const proposal = seq === null ? null : getProposal(db, seq);
  return proposal?.execReview ? execRequestReply(proposal, team, timezone) : null;
}
