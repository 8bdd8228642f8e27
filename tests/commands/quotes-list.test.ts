import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { listQuotesSql, type QuoteFilter } from '../../src/store/quote-lists.js';
import { toText } from '../../src/reply/text.js';
import { alice, testBed } from '../helpers/context.js';
import { bob, eli, maria, moveAlong, pat, sam, samOnDiscord } from '../helpers/quote-life.js';

const DAY = 86_400_000;
const start = new Date('2026-11-10T15:00:00Z');

/** Five quotes over five days: Sam asks from Slack and Discord, Bob and Alice one each. */
async function ledger() {
  const b = testBed({ now: start });
  const ask = async (actor: Actor, line: string, day: number) => {
    b.setNow(new Date(start.getTime() + day * DAY));
    const r = await b.run(line, { actor });
    expect(r.error).toBeUndefined();
  };
  await ask(sam, '/quote k2p5 medium smb 2000 800 account=Acme', 0); // Q1 approved
  await ask(samOnDiscord, '/quote k2p5 medium enterprise 2000 800 account=Globex sla=nonstandard', 1); // Q2 escalated, so pending approval
  await ask(bob, '/quote k2p5 medium smb 2000 800 account=Acme', 2); // Q3 approved
  await ask(alice, '/quote k2p5 medium startup 2000 800 account=Initech scope=unclear', 3); // Q4 with conditions
  await ask(sam, '/quote k2p5 medium smb 2000 800 account=Initech', 4); // Q5 approved
  moveAlong(b.db, 'Q-00005', [{ kind: 'send', conditionsConfirmed: false }], new Date(start.getTime() + 4 * DAY));
  b.setNow(new Date(start.getTime() + 6 * DAY));
  const ids = async (line: string, actor: Actor) => {
    const r = await b.run(line, { actor });
    expect(r.error).toBeUndefined();
    return (r.data as { quotes: { quote_id: string }[] }).quotes.map((q) => q.quote_id);
  };
  return { ...b, ids };
}

describe('/quotes: playbook §55 access', () => {
  it.each([
    ['a sales rep sees the quotes they asked, from any of their ids', sam, ['Q-00005', 'Q-00002', 'Q-00001']],
    ['the same rep from Discord sees the same', samOnDiscord, ['Q-00005', 'Q-00002', 'Q-00001']],
    ['another rep sees only theirs', bob, ['Q-00003']],
    ['someone not in the team sees what they asked under their id', alice, ['Q-00004']],
    ['a revenue manager sees all', maria, ['Q-00005', 'Q-00004', 'Q-00003', 'Q-00002', 'Q-00001']],
    ['a pricing admin sees all', pat, ['Q-00005', 'Q-00004', 'Q-00003', 'Q-00002', 'Q-00001']],
    ['an executive sees all', eli, ['Q-00005', 'Q-00004', 'Q-00003', 'Q-00002', 'Q-00001']],
  ])('%s', async (_who, actor, expected) => {
    const b = await ledger();
    expect(await b.ids('/quotes', actor)).toEqual(expected);
  });
});

describe('/quotes filters', () => {
  it.each([
    ['/quotes state=sent', ['Q-00005']],
    ['/quotes pending_approval', ['Q-00002']],
    ['/quotes escalated', []],
    ['/quotes account=Acme', ['Q-00003', 'Q-00001']],
    ['/quotes segment=smb', ['Q-00005', 'Q-00003', 'Q-00001']],
    // Days are the operating timezone's (New York): the 12th starts at 05:00 UTC.
    ['/quotes since=2026-11-12', ['Q-00005', 'Q-00004', 'Q-00003']],
    ['/quotes since=2026-11-12 segment=smb account=Acme', ['Q-00003']],
    ['/quotes limit=2', ['Q-00005', 'Q-00004']],
    ['/quotes state=won', []],
  ])('%s', async (line, expected) => {
    const b = await ledger();
    expect(await b.ids(line, maria)).toEqual(expected);
  });

  it('combines a rep’s own scope with a filter', async () => {
    const b = await ledger();
    expect(await b.ids('/quotes account=Acme', sam)).toEqual(['Q-00001']);
  });

  it.each([
    ['/quotes state=sold', 'state'],
    ['/quotes since=2026-02-30', 'since'],
    ['/quotes limit=0', 'limit'],
    ['/quotes limit=101', 'limit'],
  ])('refuses %s naming the field', async (line, field) => {
    const b = await ledger();
    expect((await b.run(line, { actor: maria })).error).toMatchObject({ code: 'invalid_input', field });
  });

  it('shows a table of id, state, account, segment, price, margin, asker and age', async () => {
    const b = await ledger();
    const text = toText(await b.run('/quotes state=sent', { actor: maria }));
    expect(text).toMatch(/id\s+state\s+account\s+segment\s+price\s+margin\s+asker\s+age/);
    expect(text).toMatch(/Q-00005\s+📤 sent\s+Initech\s+smb\s+\$0\.50\s+99\.28%\s+Sam Patel\s+2d/);
    const mine = toText(await b.run('/quotes', { actor: bob }));
    expect(mine).toContain('your own quotes');
  });
});

describe('/quotes query plans: the list never scans the ledger for a rep, a state or an account', () => {
  const plan = (filter: QuoteFilter) => {
    const b = testBed();
    const { sql, params } = listQuotesSql(filter);
    return (b.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
  };
  const mine = [{ platform: 'slack', userId: 'U0SALES001' }, { platform: 'http', userId: 'sam' }] as const;
  it.each([
    ['a rep’s own', { askers: mine, limit: 20 }, /USING INDEX quotes_by_user/],
    ['by state', { state: 'sent', limit: 20 }, /USING INDEX quotes_by_state/],
    ['by account', { account: 'Acme', limit: 20 }, /USING INDEX quotes_by_account/],
    ['since a day', { since: start, limit: 20 }, /USING INTEGER PRIMARY KEY.*quotes_by_created_at/],
    ['a rep’s own in a state', { askers: mine, state: 'sent', limit: 20 }, /USING INDEX quotes_by_(user|state)/],
  ] as [string, QuoteFilter, RegExp][])('%s', (_name, filter, expected) => {
    const p = plan(filter);
    expect(p).toMatch(expected);
    expect(p).not.toMatch(/^SCAN quotes$/m);
  });
});
