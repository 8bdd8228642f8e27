import { describe, expect, it } from 'vitest';
import { currentMonth, monthRange, previousMonth } from '../../src/domain/calendar.js';
import {
  classifyHelpMessage,
  communityStats,
  formatWait,
  planOf,
  questionRiskLevel,
  slaMinutes,
  type CommunityConfig,
  type HelpMessage,
} from '../../src/domain/community.js';
import { seedCatalog } from '../helpers/seed.js';

const team = seedCatalog.team;
const community = team.community as CommunityConfig;
const HELP = community.helpChannel;
const STARTER = '300000000000000011';
const PRO = '300000000000000012';
const ENTERPRISE = '300000000000000013';
const SUPPORT = '300000000000000021'; // a team role in data/team.json
const MARIA = '100000000000000001'; // listed in people
const at = new Date('2026-11-22T15:00:00Z');
const H = 3_600_000;

const msg = (over: Partial<HelpMessage> = {}): HelpMessage => ({
  id: '9001', channelId: HELP, threadParentId: null, authorId: '555', authorName: 'Ada', authorIsBot: false, roleIds: [], createdAt: at, replyToId: null, ...over,
});

describe('the asker’s plan (playbook §16 support tiers)', () => {
  it.each([
    [[], 'unknown', 24],
    [[STARTER], 'starter', 24],
    [[PRO], 'pro', 8],
    [[ENTERPRISE], 'enterprise', 1],
    [['999999999999999999', PRO], 'pro', 8],
    [[STARTER, ENTERPRISE, PRO], 'enterprise', 1],
  ] as const)('roles %j are plan %s with a %ih first-answer SLA', (roles, plan, hours) => {
    expect(planOf(roles, community.planRoles)).toBe(plan);
    expect(slaMinutes(plan)).toBe(hours * 60);
  });
});

describe('risk of an unanswered question: ok within the SLA, warning past it, critical past twice', () => {
  it.each([
    ['enterprise', 0.99, 'ok'], ['enterprise', 1, 'warning'], ['enterprise', 1.99, 'warning'], ['enterprise', 2, 'critical'],
    ['pro', 7.99, 'ok'], ['pro', 8, 'warning'], ['pro', 15.99, 'warning'], ['pro', 16, 'critical'],
    ['starter', 23.99, 'ok'], ['starter', 24, 'warning'], ['starter', 47.99, 'warning'], ['starter', 48, 'critical'],
    ['unknown', 23.99, 'ok'], ['unknown', 24, 'warning'], ['unknown', 48, 'critical'],
  ] as const)('%s after %sh is %s', (plan, hours, level) => {
    expect(questionRiskLevel(at, new Date(at.getTime() + hours * H), slaMinutes(plan))).toBe(level);
  });
});

describe('what a help-channel message means', () => {
  it.each<[string, Partial<HelpMessage>, string, string | null]>([
    ['a community member’s top-level message is a question', {}, 'question', '9001'],
    ['a forum post’s opening message is a question', { id: '9100', channelId: '9100', threadParentId: HELP }, 'question', '9100'],
    ['a team member’s Reply answers the question it replies to', { authorId: MARIA, replyToId: '9001' }, 'answer', '9001'],
    ['a team role’s message in a question’s thread answers it', { authorId: '777', roleIds: [SUPPORT], channelId: '9001', threadParentId: HELP }, 'answer', '9001'],
    ['a mapped ops role counts as the team', { authorId: '778', roleIds: ['300000000000000001'], replyToId: '9001' }, 'answer', '9001'],
    ['a team message that replies to nothing answers nothing', { authorId: MARIA }, 'ignore', null],
    ['the asker’s own follow-up is no answer', { replyToId: '9001' }, 'ignore', null],
    ['a community message in someone’s thread is no answer', { id: '9200', channelId: '9001', threadParentId: HELP }, 'ignore', null],
    ['a bot is ignored', { authorIsBot: true }, 'ignore', null],
    ['another channel is ignored', { channelId: '200000000000000099' }, 'ignore', null],
  ])('%s', (_what, over, kind, questionId) => {
    const event = classifyHelpMessage(msg(over), community, team);
    expect(event.kind).toBe(kind);
    if (event.kind !== 'ignore') expect(event.questionId).toBe(questionId);
  });

  it('a question carries the asker, their plan and when it was asked', () => {
    expect(classifyHelpMessage(msg({ roleIds: [PRO] }), community, team)).toEqual({
      kind: 'question', questionId: '9001', channelId: HELP, askerId: '555', askerName: 'Ada', plan: 'pro', askedAt: at,
    });
  });
});

describe('the monthly figures', () => {
  const q = (askedH: number, answeredH: number | null, plan: 'pro' | 'starter' = 'pro') => ({
    askedAt: new Date(at.getTime() + askedH * H),
    firstAnswerAt: answeredH === null ? null : new Date(at.getTime() + answeredH * H),
    plan,
  });
  it.each([
    ['none asked', [], { asked: 0, answered: 0, answeredWithinSla: 0, medianMinutesToFirstAnswer: null }],
    ['none answered', [q(0, null)], { asked: 1, answered: 0, answeredWithinSla: 0, medianMinutesToFirstAnswer: null }],
    ['an odd count takes the middle wait', [q(0, 1), q(0, 9), q(0, 2), q(1, null)], { asked: 4, answered: 3, answeredWithinSla: 2, medianMinutesToFirstAnswer: 120 }],
    ['an even count averages the middle two', [q(0, 0.5), q(0, 1.5), q(0, 10, 'starter'), q(0, 30, 'starter')], { asked: 4, answered: 4, answeredWithinSla: 3, medianMinutesToFirstAnswer: 345 }],
  ])('%s', (_what, questions, expected) => {
    expect(communityStats(questions)).toEqual(expected);
  });
});

describe('waits and months as people read them', () => {
  it.each([[0, '0m'], [59.9 * 60_000, '59m'], [H, '1h 00m'], [9 * H + 5 * 60_000, '9h 05m'], [47 * H, '47h 00m'], [51 * H, '2d 3h']])('%i ms is %s', (ms, text) => {
    expect(formatWait(ms)).toBe(text);
  });

  it('a month is its local calendar month, across a daylight-saving change', () => {
    expect(monthRange('2026-11', 'America/New_York')).toEqual({ from: new Date('2026-11-01T04:00:00Z'), to: new Date('2026-12-01T05:00:00Z') });
    expect(monthRange('2026-13', 'America/New_York')).toBeNull();
    expect(previousMonth(new Date('2026-12-01T15:00:00Z'), 'America/New_York')).toBe('2026-11');
    expect(previousMonth(new Date('2027-01-01T04:59:00Z'), 'America/New_York')).toBe('2026-11'); // still Dec 31 in New York
    expect(currentMonth(new Date('2026-12-01T04:59:00Z'), 'America/New_York')).toBe('2026-11');
  });
});
