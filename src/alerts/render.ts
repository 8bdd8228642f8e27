import { recipientsFor } from '../domain/alert-routing.js';
import { formatLocalTime } from '../domain/calendar.js';
import { FIRST_ANSWER_SLA_HOURS, formatWait, messageLink } from '../domain/community.js';
import { ageDays, agingBand } from '../domain/exception-risk.js';
import type { ExceptionRecord } from '../domain/exception-record.js';
import { executiveSponsor, peopleWithRole, resolvePerson, type Person, type Team } from '../domain/team.js';
import { mentionOf } from '../reply/inline.js';
import { actions, context, fields, reply, text, type Reply } from '../reply/reply.js';
import { alertHeadline, type AlertRecord } from '../store/alerts.js';
import type { QuestionRecord } from '../store/community.js';

export const ACK_ACTION = 'exceptions.ack';

/** A help-channel question's details: who asked, on which plan, how long they waited, and a link. */
function questionFields(q: QuestionRecord, timezone: string, now: Date) {
  const until = q.firstAnswerAt ?? q.closedAt ?? now;
  const status =
    q.status === 'answered' ? `answered by ${q.firstAnswerByName ?? 'the team'}` : q.status === 'closed' ? `closed: ${q.closeReason ?? ''}` : 'waiting for the team';
  return [
    { label: 'Question', value: `${q.ref} · ${messageLink(q.guildId, q.channelId, q.messageId)}` },
    { label: 'Asked by', value: `${q.askerName} (${q.plan} plan)` },
    { label: 'Asked', value: formatLocalTime(q.askedAt, timezone) },
    { label: 'First answer SLA', value: `${FIRST_ANSWER_SLA_HOURS[q.plan]}h` },
    { label: q.status === 'open' ? 'Waiting' : 'Waited', value: formatWait(until.getTime() - q.askedAt.getTime()) },
    { label: 'Status', value: status },
  ];
}

function whoToTell(alert: AlertRecord, exception: ExceptionRecord | null, team: Team): Person[] {
  const people = recipientsFor(alert.level).people.flatMap((role): Person[] => {
    if (role === 'revenue_manager') return peopleWithRole(team, 'revenue_manager');
    if (role === 'executive_sponsor') return [executiveSponsor(team)].filter((p): p is Person => p !== undefined);
    const owner = exception ? resolvePerson(team, exception.owner) : undefined;
    return owner ? [owner] : [];
  });
  return [...new Map(people.map((p) => [p.id, p])).values()];
}

/**
 * An alert as it stands now: the playbook's one-line template, the details, and either the
 * Acknowledge button or who acknowledged it and when. Rendered at delivery and again on every
 * change, so every posted copy shows the same state.
 */
export function alertReply(
  alert: AlertRecord,
  exception: ExceptionRecord | null,
  team: Team,
  timezone: string,
  now: Date,
  question: QuestionRecord | null = null,
): Reply {
  const line = alertHeadline(alert);
  const tell = whoToTell(alert, exception, team).map(mentionOf);
  const blocks = [text(`**${line}**`)];
  if (exception) {
    const days = ageDays(exception.approvedAt, now, timezone);
    const last = exception.progress.at(-1);
    blocks.push(
      fields(
        { label: 'Exception', value: `${exception.id} · quote ${exception.quoteRef}` },
        { label: 'Account', value: `${exception.account} (${exception.segment})` },
        { label: 'Age', value: `${days} days · band ${agingBand(days)}` },
        { label: 'Owner', value: exception.owner },
        { label: 'Target recovery', value: exception.targetDate ?? '—' },
        { label: 'Last progress', value: last ? `${formatLocalTime(last.notedAt, timezone)}: ${last.note}` : 'none yet' },
      ),
    );
  }
  if (question) blocks.push(fields(...questionFields(question, timezone, now)));
  if (tell.length) blocks.push(text(`For: ${tell.join(' ')}`));
  if (alert.resolvedAt) blocks.push(context(`✅ Resolved: ${alert.resolution ?? 'its cause ended'}`));
  if (alert.acknowledgedAt) {
    blocks.push(context(`✅ Acknowledged by ${alert.ackUserName ?? 'someone'} at ${formatLocalTime(alert.acknowledgedAt, timezone)}`));
  } else if (recipientsFor(alert.level).acknowledgeable && !alert.resolvedAt) {
    blocks.push(actions({ action: ACK_ACTION, label: 'Acknowledge', value: String(alert.id), style: 'primary', typed: `/exceptions ack #${alert.id}` }));
  }
  if (alert.escalatedAt) {
    blocks.push(context(`⏫ Not acknowledged in time: escalated at ${formatLocalTime(alert.escalatedAt, timezone)}`));
  } else if (alert.ackDeadline && !alert.acknowledgedAt && !alert.resolvedAt) {
    blocks.push(context(`Escalates at ${formatLocalTime(alert.ackDeadline, timezone)} unless acknowledged.`));
  }
  return reply(line, blocks, 'channel');
}

export function escalationReply(alert: AlertRecord, team: Team, timezone: string): Reply {
  const sponsor = executiveSponsor(team);
  const who = sponsor ? mentionOf(sponsor) : 'the executive sponsor';
  const line = alertHeadline(alert);
  return reply(`Escalated: ${line}`, [
    text(`⏫ **Not acknowledged within the deadline; escalated to ${who}.**\n${line}`),
    context(`Raised ${formatLocalTime(alert.raisedAt, timezone)} · alert #${alert.id}`),
    actions({ action: ACK_ACTION, label: 'Acknowledge', value: String(alert.id), style: 'primary', typed: `/exceptions ack #${alert.id}` }),
  ], 'channel');
}
