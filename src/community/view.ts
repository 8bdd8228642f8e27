import { formatLocalTime } from '../domain/calendar.js';
import { FIRST_ANSWER_SLA_HOURS, formatWait, messageLink, questionRiskLevel, type CommunityStats } from '../domain/community.js';
import { context, header, reply, table, text, type Reply } from '../reply/reply.js';
import type { QuestionRecord } from '../store/community.js';

const LIST_LIMIT = 25;

/** Open help-channel questions, longest wait first, with how far each is into its SLA. */
/** Why nothing can arrive in the queue, when that is so; null while the help channel is watched. */
export type NotWatching = 'no_community_section' | 'discord_off' | null;

export function openQuestionsReply(questions: readonly QuestionRecord[], now: Date, timezone: string, notWatching: NotWatching): Reply {
  const rows = questions.map((q) => {
    const waitedMs = now.getTime() - q.askedAt.getTime();
    return {
      q,
      waited: formatWait(waitedMs),
      level: questionRiskLevel(q.askedAt, now, q.slaMinutes),
      link: messageLink(q.guildId, q.channelId, q.messageId),
    };
  });
  const past = rows.filter((r) => r.level !== 'ok').length;
  const summary = questions.length
    ? `${questions.length} open help question(s), ${past} past their SLA`
    : 'No open questions in the help channel.';
  const shown = rows.slice(0, LIST_LIMIT);
  return {
    ...reply(summary, [
      header('Community help queue'),
      shown.length
        ? table(['question', 'asked by', 'plan (SLA)', 'asked', 'waiting', 'level'], shown.map((r) => [
            r.q.ref, r.q.askerName, `${r.q.plan} (${FIRST_ANSWER_SLA_HOURS[r.q.plan]}h)`, formatLocalTime(r.q.askedAt, timezone), r.waited, r.level,
          ]))
        : text(
            notWatching === 'no_community_section'
              ? 'No help channel is watched: add a `community` section to data/team.json (see the README) and run the bot on Discord.'
              : notWatching === 'discord_off'
                ? 'The help channel is watched only while the bot runs on Discord: set DISCORD_TOKEN and DISCORD_APP_ID.'
                : 'Every question in the help channel has a team answer.',
          ),
      ...(rows.length > LIST_LIMIT ? [context(`Showing the ${LIST_LIMIT} longest waits of ${rows.length}.`)] : []),
      ...(shown.length ? [text(shown.map((r) => `• ${r.q.ref}: ${r.link}`).join('\n'))] : []),
      context('A question is answered by a team member’s Reply to it, or a team message in its thread. SLA: Starter 24h, Pro 8h, Enterprise 1h, unknown plan 24h; past the SLA warns, past twice the SLA pages.'),
    ]),
    data: {
      open: rows.map((r) => ({
        id: r.q.ref, asker: r.q.askerName, plan: r.q.plan, sla_hours: FIRST_ANSWER_SLA_HOURS[r.q.plan], asked_at: r.q.askedAt.toISOString(),
        waiting_minutes: Math.floor((now.getTime() - r.q.askedAt.getTime()) / 60_000), level: r.level, link: r.link,
      })),
    },
  };
}

const minutesText = (m: number | null) => (m === null ? 'no answers yet' : formatWait(m * 60_000));

/** One month of the help queue: asked, answered, median time to first answer. */
export function statsBlocks(month: string, stats: CommunityStats, stillOpen: number, closed: number) {
  const within = stats.answered ? Math.round((stats.answeredWithinSla / stats.answered) * 100) : null;
  return {
    line: `${month}: ${stats.asked} asked, ${stats.answered} answered, median time to first answer ${minutesText(stats.medianMinutesToFirstAnswer)}`,
    blocks: [
      text(`**Questions asked** ${stats.asked} · **answered** ${stats.answered} · **still open** ${stillOpen}${closed ? ` · closed without an answer ${closed}` : ''}`),
      text(`**Median time to first answer** ${minutesText(stats.medianMinutesToFirstAnswer)}${within === null ? '' : ` · ${within}% answered within the plan’s SLA`}`),
    ],
    data: {
      month,
      asked: stats.asked,
      answered: stats.answered,
      still_open: stillOpen,
      closed_without_answer: closed,
      answered_within_sla: stats.answeredWithinSla,
      median_minutes_to_first_answer: stats.medianMinutesToFirstAnswer,
    },
  };
}

/** §44's daily digest for the help queue: questions still inside their SLA are reported here, not alerted. */
export function helpQueueDigestLine(questions: readonly QuestionRecord[], now: Date): string {
  const levels = questions.map((q) => questionRiskLevel(q.askedAt, now, q.slaMinutes));
  const n = (l: string) => levels.filter((x) => x === l).length;
  if (questions.length === 0) return '**Community help queue** every question has a team answer.';
  return `**Community help queue** ${questions.length} open: ${n('ok')} within SLA, ${n('warning')} past SLA, ${n('critical')} past twice the SLA. \`/community\` lists them.`;
}
