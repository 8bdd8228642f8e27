import type { RiskLevel } from './exception-risk.js';
import { findPerson, type Team } from './team.js';

/** Playbook §16: the support plans, and the first-response SLA each one buys. */
export const PLANS = ['starter', 'pro', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number] | 'unknown';

export const FIRST_ANSWER_SLA_HOURS = { starter: 24, pro: 8, enterprise: 1, unknown: 24 } as const satisfies Record<Plan, number>;

/** The community server's own settings, from the `community` section of data/team.json. */
export interface CommunityConfig {
  /** The Discord channel (text or forum) where people ask for help. */
  helpChannel: string;
  /** Discord role ids that say which plan a member is on. */
  planRoles: Readonly<Record<string, Exclude<Plan, 'unknown'>>>;
  /** Discord role ids of people who answer for the company, besides those listed in `people`. */
  teamRoles: readonly string[];
  /** What the weekly reminder says about office hours: when and where. */
  officeHours: string;
}

/** A message in the community server, as far as this feature reads it: never its content. */
export interface HelpMessage {
  id: string;
  channelId: string;
  /** The parent channel when the message is in a thread (a forum post, or a thread off a message). */
  threadParentId: string | null;
  authorId: string;
  authorName: string;
  authorIsBot: boolean;
  roleIds: readonly string[];
  createdAt: Date;
  /** The message it replies to (Discord's Reply), if any. */
  replyToId: string | null;
}

export type HelpEvent =
  | { kind: 'question'; questionId: string; channelId: string; askerId: string; askerName: string; plan: Plan; askedAt: Date }
  | { kind: 'answer'; questionId: string; answererId: string; answererName: string; answeredAt: Date }
  | { kind: 'ignore'; why: string };

/** The plan with the fastest SLA among the asker's roles: someone on two plans gets the better one. */
export function planOf(roleIds: readonly string[], planRoles: CommunityConfig['planRoles']): Plan {
  const plans = roleIds.map((r) => planRoles[r]).filter((p): p is Exclude<Plan, 'unknown'> => p !== undefined);
  return plans.sort((a, b) => FIRST_ANSWER_SLA_HOURS[a] - FIRST_ANSWER_SLA_HOURS[b])[0] ?? 'unknown';
}

/** Someone who answers for the company: listed in data/team.json, or holding a mapped or team role. */
export function isTeamMember(team: Team, community: CommunityConfig, userId: string, roleIds: readonly string[]): boolean {
  if (findPerson(team, 'discord', userId)) return true;
  return roleIds.some((r) => team.discordRoles[r] !== undefined || community.teamRoles.includes(r));
}

/**
 * What a message means for the help queue. A question is a top-level message in the help channel
 * (or a forum post's opening message) from someone outside the team. It is answered by a team
 * member's Reply to it in the channel, or by a team member's message in its thread; a thread made
 * from a message, and a forum post, share the id of the message that opened them.
 */
export function classifyHelpMessage(m: HelpMessage, community: CommunityConfig, team: Team): HelpEvent {
  if (m.authorIsBot) return { kind: 'ignore', why: 'from a bot' };
  const inChannel = m.channelId === community.helpChannel;
  const inThread = m.threadParentId === community.helpChannel;
  if (!inChannel && !inThread) return { kind: 'ignore', why: 'not in the help channel' };
  if (isTeamMember(team, community, m.authorId, m.roleIds)) {
    const questionId = inThread ? m.channelId : m.replyToId;
    if (!questionId) return { kind: 'ignore', why: 'a team message that replies to no question' };
    const answererName = findPerson(team, 'discord', m.authorId)?.name ?? m.authorName;
    return { kind: 'answer', questionId, answererId: m.authorId, answererName, answeredAt: m.createdAt };
  }
  const opensThread = inThread && m.id === m.channelId;
  if ((inChannel && !m.replyToId) || opensThread) {
    return { kind: 'question', questionId: m.id, channelId: m.channelId, askerId: m.authorId, askerName: m.authorName, plan: planOf(m.roleIds, community.planRoles), askedAt: m.createdAt };
  }
  return { kind: 'ignore', why: 'a follow-up from the community' };
}

const MINUTE_MS = 60_000;

export function slaMinutes(plan: Plan): number {
  return FIRST_ANSWER_SLA_HOURS[plan] * 60;
}

/** Issue 6: within the SLA `ok` (the digest), past it `warning`, past twice the SLA `critical`. */
export function questionRiskLevel(askedAt: Date, now: Date, sla: number): Exclude<RiskLevel, 'none'> {
  const waited = (now.getTime() - askedAt.getTime()) / MINUTE_MS;
  if (waited >= 2 * sla) return 'critical';
  if (waited >= sla) return 'warning';
  return 'ok';
}

/** The next action an unanswered question asks for, in the alert template's words. */
export const QUESTION_NEXT_ACTION = {
  ok: 'answer_within_sla',
  warning: 'answer_in_help_channel_now',
  critical: 'manager_answers_and_reviews_coverage',
} as const satisfies Record<Exclude<RiskLevel, 'none'>, string>;

/** "35m", "9h 05m", "2d 3h": how long someone has waited, to the minute. */
export function formatWait(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / MINUTE_MS));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export function questionSummary(q: { ref: string; askerName: string; plan: Plan; askedAt: Date }, now: Date): string {
  const sla = FIRST_ANSWER_SLA_HOURS[q.plan];
  return `${q.ref} from ${q.askerName} (${q.plan} plan, first answer within ${sla}h) has waited ${formatWait(now.getTime() - q.askedAt.getTime())} with no answer from the team`;
}

export interface AnsweredTimes {
  askedAt: Date;
  firstAnswerAt: Date | null;
  plan: Plan;
}

export interface CommunityStats {
  asked: number;
  answered: number;
  answeredWithinSla: number;
  /** Median minutes from question to the first team answer, over the answered ones; null if none. */
  medianMinutesToFirstAnswer: number | null;
}

/** The monthly digest's figures over the questions asked in the period. */
export function communityStats(questions: readonly AnsweredTimes[]): CommunityStats {
  const waits = questions
    .filter((q) => q.firstAnswerAt !== null)
    .map((q) => ({ minutes: ((q.firstAnswerAt as Date).getTime() - q.askedAt.getTime()) / MINUTE_MS, sla: slaMinutes(q.plan) }));
  const sorted = waits.map((w) => w.minutes).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length === 0 ? null : sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    asked: questions.length,
    answered: waits.length,
    answeredWithinSla: waits.filter((w) => w.minutes < w.sla).length,
    medianMinutesToFirstAnswer: median === null ? null : Math.round(median),
  };
}

/** A link that opens the message in Discord. */
export function messageLink(guildId: string, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}
