import { describe, expect, it } from 'vitest';
import { identitiesOf, moveRefusal, seesAllQuotes, type QuoteViewer } from '../../src/domain/quote-access.js';
import { lossReasonText, outcomesBySegment, summariseOutcomes, winRatePct, type QuoteOutcome } from '../../src/domain/quote-outcomes.js';
import { ROLES } from '../../src/domain/actor.js';
import type { Person } from '../../src/domain/team.js';

describe('win rate: won / (won + lost)', () => {
  it.each([
    [0, 0, null],
    [1, 0, 100],
    [0, 1, 0],
    [1, 2, 33.33],
    [2, 1, 66.67],
    [1, 1, 50],
  ])('%i won, %i lost -> %s', (won, lost, expected) => {
    expect(winRatePct(won, lost)).toBe(expected);
  });

  it('counts loss reasons per segment, only segments with a verdict, in the policy order', () => {
    const o = (segment: QuoteOutcome['segment'], outcome: QuoteOutcome['outcome'], reason: QuoteOutcome['reason'] = null): QuoteOutcome => ({ segment, outcome, reason });
    const outcomes = [o('smb', 'won'), o('smb', 'lost', 'price'), o('smb', 'lost', 'price'), o('enterprise', 'lost', 'competitor'), o('smb', 'lost', null)];
    const bySegment = outcomesBySegment(outcomes);
    expect(bySegment.map((g) => [g.segment, g.summary.won, g.summary.lost, g.summary.winRatePct])).toEqual([
      ['enterprise', 0, 1, 0],
      ['smb', 1, 3, 25],
    ]);
    expect(lossReasonText(bySegment[1]?.summary.lossReasons ?? summariseOutcomes([]).lossReasons)).toBe('price 2, other 1');
    expect(lossReasonText(summariseOutcomes([]).lossReasons)).toBe('—');
  });
});

describe('who sees and moves a quote (§55)', () => {
  const sam: Person = { id: 'sam', name: 'Sam', role: 'sales_rep', executiveSponsor: false, approves: [], slackId: 'U1', discordId: '9', consoleUser: 'sam' };
  const quote = { id: 'Q-00001', userName: 'Sam', platform: 'discord', userId: '9' } as const;
  it('a person answers to every id they have, and HTTP to their team id', () => {
    expect(identitiesOf(sam, { platform: 'slack', userId: 'U1' })).toEqual([
      { platform: 'slack', userId: 'U1' },
      { platform: 'discord', userId: '9' },
      { platform: 'console', userId: 'sam' },
      { platform: 'http', userId: 'sam' },
    ]);
    expect(identitiesOf(undefined, { platform: 'http', userId: 'api' })).toEqual([{ platform: 'http', userId: 'api' }]);
  });

  it.each(ROLES.map((role) => [role, role !== 'sales_rep'] as const))('%s sees every quote: %s', (role, all) => {
    expect(seesAllQuotes(role)).toBe(all);
    const stranger: QuoteViewer = { role, identities: [{ platform: 'slack', userId: 'U2' }] };
    expect(moveRefusal(quote, stranger) === null).toBe(all);
  });

  it('a rep moves a quote asked under any of their ids, on any platform', () => {
    expect(moveRefusal(quote, { role: 'sales_rep', identities: identitiesOf(sam, { platform: 'slack', userId: 'U1' }) })).toBeNull();
    expect(moveRefusal(quote, { role: 'sales_rep', identities: [{ platform: 'slack', userId: '9' }] })).toMatch(/asked by Sam/);
  });
});
