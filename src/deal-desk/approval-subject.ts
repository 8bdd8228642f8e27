import type { Team } from '../domain/team.js';
import { formatQuoteId } from '../domain/quote-record.js';
import type { Reply } from '../reply/reply.js';
import { approvalIdOfSubject, getApprovalRequest } from '../store/approvals.js';
import type { Db } from '../store/open.js';
import { getQuote } from '../store/quotes.js';
import { approvalReply } from './approval-view.js';

/** An approval request's post as it stands now, for the outbox; null for any other subject, or one gone. */
export function renderApprovalSubject(db: Db, team: Team, timezone: string, subject: string): Reply | null {
  const id = approvalIdOfSubject(subject);
  const request = id === null ? null : getApprovalRequest(db, id);
  const quote = request ? getQuote(db, formatQuoteId(request.quoteSeq)) : null;
  return request && quote ? approvalReply(request, quote, team, timezone) : null;
}
