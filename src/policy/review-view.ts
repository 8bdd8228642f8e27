import { formatLocalTime } from '../domain/calendar.js';
import { classifyChange, diffRules, type FieldChange } from '../domain/policy-change.js';
import { awaitsReview, earliestEffective, REVIEWER_ROLES, ROLE_LABEL } from '../domain/policy-review.js';
import type { PolicyRules, PolicyVersion } from '../domain/policy-version.js';
import type { Team } from '../domain/team.js';
import { actions, context, fields, header, reply, table, text, type Block, type Reply } from '../reply/reply.js';

/** What a change's review post is about: "policy_review:pricing_policy_v2026-11-22b". */
export const reviewSubject = (versionId: string) => `policy_review:${versionId}`;

export function versionIdOfReviewSubject(subject: string): string | null {
  const m = /^policy_review:(pricing_policy_v[\w-]+)$/.exec(subject);
  return m?.[1] ?? null;
}

const shown = (v: FieldChange['before']) => (v === undefined ? '—' : v === null ? 'none (open)' : String(v));

/** The diff a person reads: field, before -> after. */
export const diffTable = (changes: readonly FieldChange[]): Block =>
  table(['field', 'before', 'after'], changes.map((c) => [c.path, shown(c.before), shown(c.after)]));

/** The people who may review a version, without its proposer: named, so a reviewer knows it is theirs. */
export function reviewersText(v: Pick<PolicyVersion, 'changeType' | 'proposedBy'>, team: Team): string {
  const roles = REVIEWER_ROLES[v.changeType];
  const names = team.people.filter((p) => roles.includes(p.role) && p.id !== v.proposedBy.personId).map((p) => p.name);
  const what = roles.map((r) => ROLE_LABEL[r]).join(' or ');
  return names.length ? `${what}: ${names.join(', ')}` : `${what} (none listed in data/team.json)`;
}

/** "approved by Eli Brooks at 2026-11-22 09:00 EST", or null while undecided. */
export function reviewLine(v: PolicyVersion, timezone: string): string | null {
  if (!v.reviewedAt || !v.reviewDecision) return null;
  const note = v.reviewNote ? `: "${v.reviewNote}"` : '';
  return `${v.reviewDecision} by ${v.reviewedBy?.name ?? 'a reviewer'} at ${formatLocalTime(v.reviewedAt, timezone)}${note}`;
}

/**
 * When it takes (or would take) effect, in words. Posts are rendered at delivery, with no clock of
 * their own, so a pending change says its earliest time as the stored times fix it.
 */
export function effectLine(v: PolicyVersion, timezone: string): string {
  const at = (d: Date) => formatLocalTime(d, timezone);
  if (v.state === 'rejected' || v.state === 'cancelled') return 'never: it was not approved';
  if (v.state === 'approved' && v.effectiveAt) return `in force from ${at(v.effectiveAt)}`;
  const earliest = earliestEffective(v, v.proposedAt);
  if (v.changeType === 'major') return `no sooner than ${at(earliest)} (48 hours after its announcement, or later if asked), once approved`;
  return v.effectiveAt ? `at ${at(earliest)} as asked, or at approval if later` : 'at approval';
}

/** Why the change is the type it is: the content's own type and its reasons, and what was declared. */
export function typeLine(v: PolicyVersion, changes: readonly FieldChange[]): string {
  const computed = classifyChange(changes);
  const why = computed.reasons.length ? `: ${computed.reasons.join('; ')}` : ': every markup moves by at most 0.5x';
  if (v.changeType === 'emergency') return `emergency (declared; by content ${computed.type}${why})`;
  return v.changeType === computed.type ? `${v.changeType}${why}` : `${v.changeType} (declared; by content ${computed.type}${why})`;
}

function recordBlocks(v: PolicyVersion): Block[] {
  const lines = [
    `**Rationale** ${v.rationale}`,
    v.metricDrift ? `**Metric drift it answers** ${v.metricDrift}` : null,
    v.expectedOutcome ? `**Expected outcome** ${v.expectedOutcome}${v.expectedMargin ? ` (margin ${v.expectedMargin})` : ''}` : null,
    v.rollbackCriteria ? `**Rollback criteria** ${v.rollbackCriteria}` : null,
  ].filter((l): l is string => l !== null);
  return [text(lines.join('\n'))];
}

function title(v: PolicyVersion): string {
  return v.changeType === 'emergency' ? `Emergency pricing policy change ${v.id}` : `Pricing policy change ${v.id} (${v.changeType})`;
}

/** One-line state of a version's review, for summaries. */
function statusLine(v: PolicyVersion, timezone: string): string {
  const decided = reviewLine(v, timezone);
  if (v.changeType === 'emergency' && v.reviewDueAt) {
    const since = v.effectiveAt ? formatLocalTime(v.effectiveAt, timezone) : 'now';
    return decided ? `in force since ${since}; review ${decided}` : `in force since ${since}; review due by ${formatLocalTime(v.reviewDueAt, timezone)}`;
  }
  if (decided) return v.state === 'approved' ? `${decided}; ${effectLine(v, timezone)}` : decided;
  return 'awaiting review';
}

/**
 * A change's review request as it stands: §48's record, the diff against the version it replaces,
 * the type and why, who may review, when it takes effect, and Approve / Reject while it awaits a
 * review. Once decided the same post shows the decision and no buttons. `overdueSince` marks the
 * alert for an emergency whose review deadline passed.
 */
export function reviewReply(v: PolicyVersion, before: PolicyRules | null, team: Team, timezone: string, overdueSince?: Date): Reply {
  const changes = before ? diffRules(before, v.rules) : [];
  const pending = awaitsReview(v);
  const status = statusLine(v, timezone);
  const blocks: Block[] = [header(title(v))];
  if (overdueSince && pending) {
    blocks.push(text(`⏰ **Review overdue**: this emergency change is in force and nobody has reviewed it; it was due by ${formatLocalTime(v.reviewDueAt ?? overdueSince, timezone)}.`));
  }
  blocks.push(
    fields(
      { label: 'Status', value: status },
      { label: 'Type', value: typeLine(v, changes) },
      { label: 'Proposed by', value: `${v.changedBy} · ${formatLocalTime(v.proposedAt, timezone)}` },
      { label: 'Replaces', value: v.previous ?? '—' },
      { label: 'Takes effect', value: effectLine(v, timezone) },
      { label: 'Reviewed by', value: reviewersText(v, team) },
    ),
    ...recordBlocks(v),
    changes.length ? diffTable(changes) : text('No field differs from the version it replaces.'),
  );
  if (pending) {
    blocks.push(
      actions(
        { action: 'policy.approve', label: 'Approve', value: v.id, style: 'primary', typed: `/policy approve ${v.id}` },
        { action: 'policy.reject', label: 'Reject', value: v.id, style: 'danger', typed: `/policy reject ${v.id} note="why"` },
      ),
      context('Nobody reviews their own proposal.'),
    );
  }
  const summary = pending
    ? `${overdueSince ? 'Review overdue: ' : 'Review needed: '}${title(v)} by ${v.changedBy}`
    : `${title(v)}: ${status}`;
  return reply(summary, blocks, 'channel');
}

/** The sales team's notice when a change is proposed (major: the 48 hours run from here) or an emergency is in force. */
export function salesNotice(v: PolicyVersion, before: PolicyRules | null, timezone: string, now: Date): Reply {
  const changes = before ? diffRules(before, v.rules) : [];
  const summary =
    v.changeType === 'emergency'
      ? `Emergency pricing policy change ${v.id} is in force now; an executive reviews it by ${formatLocalTime(v.reviewDueAt ?? now, timezone)}`
      : `Pricing policy change ${v.id} (major) proposed: if approved, it takes effect no sooner than ${formatLocalTime(earliestEffective(v, now), timezone)}`;
  return reply(summary, [text(`**${summary}.**`), text(`**Why** ${v.rationale}`), diffTable(changes), context('Quotes already priced keep the version they were priced under.')], 'channel');
}

/** The sales team's notice that a major change they were told of will not happen. */
export function salesRejectedNotice(v: PolicyVersion, timezone: string): Reply {
  const summary = `Pricing policy change ${v.id} will not take effect: ${reviewLine(v, timezone) ?? 'rejected'}`;
  return reply(summary, [text(`**${summary}.**`)], 'channel');
}

/** The direct message to whoever proposed the change, once reviewed. */
export function decisionNotice(v: PolicyVersion, timezone: string): Reply {
  const summary = `Your pricing policy change ${v.id} was ${reviewLine(v, timezone) ?? 'reviewed'}`;
  const next =
    v.state === 'approved' && v.changeType !== 'emergency'
      ? `It takes effect ${effectLine(v, timezone).replace(/^in force /, '')}.`
      : v.reviewDecision === 'rejected'
        ? v.state === 'approved'
          ? `It stays in force until it is rolled back: /policy rollback ${v.id}.`
          : 'It will not take effect.'
        : 'It stays in force.';
  return reply(summary, [text(`**${summary}.**`), text(next)], 'channel');
}

/** The API's JSON for a version's review. */
export function reviewData(v: PolicyVersion) {
  return {
    version_id: v.id,
    previous: v.previous,
    state: v.state,
    change_type: v.changeType,
    proposed_by: v.changedBy,
    proposed_at: v.proposedAt.toISOString(),
    effective_at: v.effectiveAt?.toISOString() ?? null,
    review_due_at: v.reviewDueAt?.toISOString() ?? null,
    review_decision: v.reviewDecision,
    reviewed_by: v.reviewedBy?.name ?? null,
    reviewed_at: v.reviewedAt?.toISOString() ?? null,
    review_note: v.reviewNote,
  };
}
