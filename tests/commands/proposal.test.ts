import { describe, expect, it } from 'vitest';
import { dispatchAction } from '../../src/core/dispatch.js';
import type { Actor } from '../../src/domain/actor.js';
import type { Reply } from '../../src/reply/reply.js';
import { toText } from '../../src/reply/text.js';
import { renderProposalReviewSubject } from '../../src/deal-desk/proposal-subject.js';
import { decideExecReview } from '../../src/store/proposals.js';
import { renderApprovalSubject } from '../../src/deal-desk/approval-subject.js';
import { alice, testBed } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';

const eli: Actor = { platform: 'slack', userId: 'U0EXEC0001', name: 'Eli Brooks', role: 'executive' };
const maria: Actor = { platform: 'slack', userId: 'U0REVMGR01', name: 'Maria Lopez', role: 'revenue_manager' };
const bob: Actor = { platform: 'console', userId: 'U_BOB', name: 'Bob', role: 'sales_rep' };
const sam: Actor = { platform: 'slack', userId: 'U0SALES001', name: 'Sam Patel', role: 'sales_rep' };

/** sonnet, smb, 100k in and out: $1.80 of cost, so low 60.00%, medium 71.42%, high 77.77%. */
const SHARED = 'account="Acme Corp" segment=smb model=sonnet input=100k output=100k';
/** Two options below the 55% task guardrail (53.00% and 52.38%) and escalated: §40 calls for an executive. */
const RISKY = 'account=Initech segment=smb model=sonnet input=100k output=100k base="low discount=15 owner=maria" recommended="medium discount=40 owner=eli" premium=high';

type Data = {
  proposal_id: string;
  options: { tag: string; quote_id: string; guardrail: string; gross_margin_pct: number; exception_owner: string | null }[];
  checks: Record<string, unknown>;
  decision: string;
  executive_review: { state: string; reasons: string[]; decided_by: string | null; decided_at: string | null; memo: string | null } | null;
};
const data = (r: Reply) => r.data as Data;

function counts(b: ReturnType<typeof testBed>) {
  return Object.fromEntries(['quotes', 'quote_history', 'proposals', 'proposal_options', 'outbox'].map((t) => [t, b.count(t)]));
}
const NOTHING = { quotes: 0, quote_history: 0, proposals: 0, proposal_options: 0, outbox: 0 };

describe('/proposal: from nothing to a checked three-option proposal', () => {
  it('prices each option as a quote linked to the proposal and checks the portfolio', async () => {
    const b = testBed();
    const r = await b.run(`/proposal ${SHARED} base=low recommended=medium premium=high`);
    expect(r.error).toBeUndefined();
    expect(data(r)).toMatchObject({
      proposal_id: 'P-00001',
      options: [
        { tag: 'base', quote_id: 'Q-00001', gross_margin_pct: 60, guardrail: 'pass' },
        { tag: 'recommended', quote_id: 'Q-00002', gross_margin_pct: 71.42, guardrail: 'pass' },
        { tag: 'premium', quote_id: 'Q-00003', gross_margin_pct: 77.77, guardrail: 'pass' },
      ],
      checks: { compliant: 3, options: 3, compliance_ratio: 1, portfolio_rule: true, task_heavy: true, avg_margin_pct: 69.73, margin_rule: true, desk_escalations: 0 },
      decision: 'proceed',
      executive_review: null,
    });
    const shown = toText(r);
    expect(shown).toContain('Proposal P-00001 · Acme Corp (smb)');
    expect(shown).toContain('Proceed');
    expect(shown).toContain('task-heavy: average margin 69.73% must be above 60%');
    // Each option is a quote in the ledger like any other, with its account and its first history row.
    const quotes = b.db.prepare('SELECT seq, account, complexity, state FROM quotes ORDER BY seq').all();
    expect(quotes).toEqual([
      { seq: 1, account: 'Acme Corp', complexity: 'low', state: 'approved' },
      { seq: 2, account: 'Acme Corp', complexity: 'medium', state: 'approved' },
      { seq: 3, account: 'Acme Corp', complexity: 'high', state: 'approved' },
    ]);
    expect(b.db.prepare('SELECT proposal_seq, tag, quote_seq FROM proposal_options ORDER BY quote_seq').all()).toEqual([
      { proposal_seq: 1, tag: 'base', quote_seq: 1 },
      { proposal_seq: 1, tag: 'recommended', quote_seq: 2 },
      { proposal_seq: 1, tag: 'premium', quote_seq: 3 },
    ]);
    expect(b.count('quote_history')).toBe(3);
    expect(b.count('outbox')).toBe(0);
    // show and list give the same proposal back.
    expect(data(await b.run('/proposal show P-00001'))).toEqual(data(r));
    expect((await b.run('/proposal list')).data).toEqual({ proposals: [data(r)] });
  });

  it('every example in the help runs as typed (a rep copies them)', async () => {
    const b = testBed();
    const help = toText(await b.run('/proposal help'));
    const examples = help.split('\n').filter((l) => l.startsWith('/proposal account='));
    expect(examples).toHaveLength(2);
    for (const line of examples) expect((await b.run(line)).error).toBeUndefined();
    expect(b.count('proposals')).toBe(2);
  });

  it('takes per-option overrides, a stretch option, and the API’s long names', async () => {
    const b = testBed();
    const r = await b.run('/proposal account=Globex segment=mid_market complexity=medium estimated_input=50k estimated_output=10k base="low model=k2p5" recommended="discount=10" premium="high delivery=subscription" stretch="high input=200k scope=unclear"');
    expect(r.error).toBeUndefined();
    const rows = b.db.prepare('SELECT model, complexity, delivery_type, discount_bp, input_tokens, scope_unclear FROM quotes ORDER BY seq').all();
    expect(rows).toEqual([
      { model: 'k2p5', complexity: 'low', delivery_type: 'task', discount_bp: 0, input_tokens: 50000, scope_unclear: 0 },
      { model: 'k2p5', complexity: 'medium', delivery_type: 'task', discount_bp: 1000, input_tokens: 50000, scope_unclear: 0 },
      { model: 'k2p5', complexity: 'high', delivery_type: 'subscription', discount_bp: 0, input_tokens: 50000, scope_unclear: 0 },
      { model: 'k2p5', complexity: 'high', delivery_type: 'task', discount_bp: 0, input_tokens: 200000, scope_unclear: 1 },
    ]);
    expect(data(r).options.map((o) => o.tag)).toEqual(['base', 'recommended', 'premium', 'stretch']);
  });

  it('says what to fix when options fall below their guardrail, and records the exception owners', async () => {
    const b = testBed();
    const r = await b.run('/proposal account=Initech segment=smb model=sonnet input=100k output=100k base="low discount=15" recommended=medium premium=high');
    expect(data(r)).toMatchObject({ decision: 'revise', checks: { compliant: 2, options: 3, compliance_ratio: 0.67, portfolio_rule: true, missing_owners: ['base'] }, executive_review: null });
    expect(toText(r)).toContain('no strategic-exception owner for base (add owner=<team person> to the option)');
    const owned = await b.run(`/proposal account=Initech segment=smb model=sonnet input=100k output=100k base='low discount=15 owner="Maria Lopez"' recommended=medium premium=high`);
    expect(data(owned).options[0]?.exception_owner).toBe('maria');
    expect(data(owned).checks.missing_owners).toEqual([]);
  });
});

describe('/proposal: bad input writes nothing', () => {
  it.each([
    { name: 'one option', args: `${SHARED} base=low`, says: 'A proposal has 2 to 4 options; you gave 1' },
    { name: 'no options', args: SHARED, says: 'you gave 0' },
    { name: 'no account', args: 'segment=smb input=1k output=1k base=low recommended=medium', says: '`account` is missing' },
    { name: 'an option without its complexity', args: `${SHARED} base=low recommended="discount=5"`, says: '`recommended` has no `complexity`' },
    { name: 'no token estimate anywhere', args: 'account=A segment=smb base=low recommended=medium', says: '`base` has no `input`, `output`' },
    { name: 'a bad value inside an option', args: `${SHARED} base=low recommended="medium discount=ten"`, says: 'In `recommended`: `discount` must be a number from 0 to 100; you gave `ten`.' },
    { name: 'an unknown key inside an option', args: `${SHARED} base=low recommended="medium discont=5"`, says: 'In `recommended`: I don\'t know `discont`. Did you mean `discount`?' },
    { name: 'an owner not on the team', args: `${SHARED} base="low owner=nobody" recommended=medium`, says: '`owner` must be a person in data/team.json (maria, eli, sam, pat); you gave `nobody`' },
    { name: 'an unknown top-level key', args: `${SHARED} base=low recommended=medium deluxe=high`, says: 'I don\'t know `deluxe`' },
    { name: 'an unclosed quote in an option', args: `${SHARED} base=low recommended='medium premium=high`, says: 'A quote mark is not closed' },
  ])('$name', async ({ args, says }) => {
    const b = testBed();
    const r = await b.run(`/proposal ${args}`);
    expect(r.error?.code).toBe('invalid_input');
    expect(r.summary).toContain(says);
    expect(counts(b)).toEqual(NOTHING);
  });

  it('names every bad option at once', async () => {
    const b = testBed();
    const one = await b.run(`/proposal ${SHARED} base=low`);
    expect(one.error?.field).toBe('recommended'); // a form marks the next option to fill in
    const r = await b.run(`/proposal ${SHARED} base="low discount=200" recommended=huge premium="high owner=zed"`);
    expect(r.summary.split('\n')).toHaveLength(3);
    expect(r.error?.field).toBe('base');
  });

  it('a failure after the quotes were priced leaves no quote behind: the proposal is one transaction', async () => {
    const b = testBed();
    b.db.exec("CREATE TRIGGER refuse_proposals BEFORE INSERT ON proposals BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const r = await b.run(`/proposal ${SHARED} base=low recommended=medium premium=high`);
    expect(r.error?.code).toBe('internal');
    expect(counts(b)).toEqual(NOTHING);
  });

  it('a retry with the same idempotency key answers from the ledger and prices nothing again', async () => {
    const b = testBed();
    const first = await b.run(`/proposal ${SHARED} base=low recommended=medium premium=high`, { idempotencyKey: 'slack:retry-1' });
    const again = await b.run(`/proposal ${SHARED} base=low recommended=medium premium=high`, { idempotencyKey: 'slack:retry-1' });
    expect(data(again)).toEqual(data(first));
    expect(b.count('quotes')).toBe(3);
    expect(b.count('proposals')).toBe(1);
  });
});

describe('/proposal show and list: a sales rep sees their own (§55)', () => {
  it('refuses another rep’s proposal, shows all to managers, and filters the list', async () => {
    const b = testBed();
    await b.run(`/proposal ${SHARED} base=low recommended=medium`);
    await b.run('/proposal account=Globex segment=smb input=1k output=1k base=low recommended=medium', { actor: bob });
    const refused = await b.run('/proposal show P-00001', { actor: bob });
    expect(refused.error?.code).toBe('forbidden');
    expect((await b.run('/proposal show P-00001', { actor: maria })).error).toBeUndefined();
    const ids = async (actor: Actor, args = '') => ((await b.run(`/proposal list ${args}`, { actor })).data as { proposals: Data[] }).proposals.map((p) => p.proposal_id);
    expect(await ids(alice)).toEqual(['P-00001']);
    expect(await ids(bob)).toEqual(['P-00002']);
    expect(await ids(maria)).toEqual(['P-00002', 'P-00001']);
    expect(await ids(maria, 'account=globex')).toEqual(['P-00002']);
    expect((await b.run('/proposal show P-00099')).error?.code).toBe('not_found');
  });
});

describe('executive review (§40)', () => {
  const outbox = (b: ReturnType<typeof testBed>) =>
    (b.db.prepare("SELECT platform, destination, payload FROM outbox WHERE kind = 'message' ORDER BY id").all() as { platform: string; destination: string; payload: string }[]).map(
      (r) => ({ platform: r.platform, destination: r.destination, reply: JSON.parse(r.payload) as Reply }),
    );
  /** The review's outbox rows (its posts, then its refreshes); the options' approval posts are left out. */
  const reviewRows = (b: ReturnType<typeof testBed>, kind: 'post' | 'post_refresh') =>
    b.db.prepare("SELECT platform, destination, subject FROM outbox WHERE kind = ? AND subject LIKE 'proposal_review:%' ORDER BY id").all(kind) as { platform: string; destination: string; subject: string }[];
  /** What every copy of the review shows now: the outbox renders it again at each delivery. */
  const rendered = (b: ReturnType<typeof testBed>, subject = 'proposal_review:1') => {
    const r = renderProposalReviewSubject(b.db, seedCatalog.team, b.config.timezone, subject);
    if (!r) throw new Error(`${subject} renders nothing`);
    return r;
  };
  const buttonsOf = (r: Reply) => r.blocks.flatMap((blk) => (blk.type === 'actions' ? blk.buttons : []));

  async function risky() {
    const b = testBed();
    const r = await b.run(`/proposal ${RISKY}`, { actor: sam, platforms: ['slack', 'discord', 'console'] });
    return { b, r };
  }

  it('posts the request to the exec channel on every delivering platform, with the three buttons', async () => {
    const { b, r } = await risky();
    expect(data(r).executive_review).toEqual({
      state: 'pending',
      reasons: ['compliance ratio 0.33 is below 0.67', '2 options need a Deal Desk escalation (more than 1)'],
      decided_by: null, decided_at: null, memo: null,
    });
    // A post about the review's subject, rendered at delivery, not a fixed message.
    expect(outbox(b)).toEqual([]);
    const posted = reviewRows(b, 'post');
    // Discord has no exec channel in data/team.json: the request goes to its ops channel instead.
    expect(posted.map((p) => [p.platform, p.destination, p.subject])).toEqual([
      ['slack', 'C0EXEC0001', 'proposal_review:1'], ['discord', '200000000000000001', 'proposal_review:1'], ['console', 'console', 'proposal_review:1'],
    ]);
    const request = rendered(b);
    expect(request.summary).toBe('Executive review needed: proposal P-00001 for Initech');
    expect(buttonsOf(request).map((x) => [x.action, x.label, x.value])).toEqual([
      ['proposal.approve', 'Approve with strategic exception memo', 'P-00001'],
      ['proposal.rework', 'Rework and rerun', 'P-00001'],
      ['proposal.decline', 'Decline opportunity', 'P-00001'],
    ]);
    expect(toText(request)).toContain('compliance ratio 0.33 is below 0.67');
    // Other subjects are not the proposal renderer's.
    expect(renderProposalReviewSubject(b.db, seedCatalog.team, b.config.timezone, 'approval:1')).toBeNull();
    expect(renderProposalReviewSubject(b.db, seedCatalog.team, b.config.timezone, 'proposal_review:9')).toBeNull();
  });

  it('fires on an average margin below 55% alone', async () => {
    const b = testBed();
    // Subscriptions clear their 50% guardrail at 52-54%, so only the margin trigger fires.
    const r = await b.run('/proposal account=Hooli segment=smb model=sonnet input=100k output=100k delivery=subscription base="low discount=12" recommended="low discount=13" premium="low discount=14"');
    expect(data(r).checks).toMatchObject({ compliant: 3, desk_escalations: 0 });
    expect(data(r).executive_review?.reasons).toEqual([expect.stringMatching(/^average margin 5\d\.\d\d% is below 55%$/)]);
  });

  it.each<{ action: string; state: string; memo: string | null }>([
    { action: 'rework', state: 'rework', memo: null },
    { action: 'decline', state: 'declined', memo: null },
  ])('an executive presses $action once: recorded with who and when, every copy refreshed, the rep told, and a second click is told', async ({ action, state }) => {
    const { b } = await risky();
    b.setNow(new Date('2026-11-22T15:30:00Z'));
    const press = (actor: Actor) => dispatchAction(b.registry, `proposal.${action}`, 'P-00001', b.ctx({ actor, platforms: ['slack', 'discord'] }));
    const [first, second] = await Promise.all([press(eli), press(eli)]);
    const replies = [first, second].map((x) => (x.kind === 'reply' ? x.reply : null));
    expect(replies.filter((x) => !x?.error)).toHaveLength(1);
    const late = replies.find((x) => x?.error);
    expect(late?.error?.code).toBe('conflict');
    expect(late?.summary).toContain('P-00001 was already');
    expect(late?.summary).toContain('by Eli Brooks at 2026-11-22 10:30 EST');
    const row = b.db.prepare('SELECT exec_review, exec_user_name, exec_person_id, exec_decided_at FROM proposals').get();
    expect(row).toEqual({ exec_review: state, exec_user_name: 'Eli Brooks', exec_person_id: 'eli', exec_decided_at: '2026-11-22T15:30:00.000Z' });
    // One refresh per platform the request was posted on (it updates every copy there), once.
    expect(reviewRows(b, 'post_refresh').map((p) => p.platform).sort()).toEqual(['console', 'discord', 'slack']);
    const copy = rendered(b);
    expect(copy.summary).toMatch(/^Proposal P-00001 \(Initech\) (declined|sent back to rework).* by Eli Brooks at 2026-11-22 10:30 EST$/);
    expect(buttonsOf(copy)).toEqual([]);
    expect(toText(copy)).toContain('Executive review: proposal P-00001 · Initech');
    // No second channel message: only the rep who asked (on Slack, where they asked) is told, once.
    const told = outbox(b);
    expect(told.map((p) => [p.platform, p.destination])).toEqual([['slack', 'U0SALES001']]);
    expect(told[0]?.reply.summary).toMatch(/^Your proposal P-00001 \(Initech\) was .* by Eli Brooks$/);
  });

  it.each([
    ['decline', 'declined'],
    ['rework', null],
  ] as const)('%s: a declined opportunity closes its open quotes, and its desk requests leave the queue; a rework leaves them', async (action, closedAs) => {
    const { b } = await risky();
    const states = () => b.db.prepare('SELECT seq, state FROM quotes ORDER BY seq').all() as { seq: number; state: string }[];
    const before = states();
    const waiting = before.filter((q) => q.state === 'escalated' || q.state === 'pending_approval').length;
    expect(waiting).toBeGreaterThan(0);
    expect((await b.run('/desk')).summary).toMatch(new RegExp(`^Deal desk: ${waiting} quote\\(s\\) waiting`));
    b.setNow(new Date('2026-11-22T15:30:00Z'));
    await dispatchAction(b.registry, `proposal.${action}`, 'P-00001', b.ctx({ actor: eli, platforms: ['slack'] }));
    const after = states();
    if (closedAs === null) {
      expect(after).toEqual(before);
      return;
    }
    expect(after.map((q) => q.state)).toEqual(before.map(() => closedAs));
    const history = b.db.prepare("SELECT user_name, note, detail FROM quote_history WHERE to_state = 'declined' ORDER BY id").all() as { user_name: string; note: string; detail: string }[];
    expect(history).toHaveLength(before.length);
    expect(history[0]).toMatchObject({ user_name: 'Eli Brooks', note: "The opportunity was declined in P-00001's executive review." });
    expect(JSON.parse(history[0]?.detail ?? '{}')).toMatchObject({ event: 'withdraw', proposalId: 'P-00001' });
    expect((await b.run('/desk')).summary).toBe('Deal desk: 0 quote(s) waiting for approval');
    // Each request's posted copies are refreshed to say why no decision is needed, without buttons.
    const requests = b.db.prepare('SELECT id FROM approval_requests ORDER BY id').all() as { id: number }[];
    for (const { id } of requests) {
      const copy = renderApprovalSubject(b.db, seedCatalog.team, b.config.timezone, `approval:${id}`);
      expect(copy?.summary).toMatch(/^Q-\d{5}: no decision needed, it is now declined$/);
      expect(buttonsOf(copy as Reply)).toEqual([]);
    }
    const refreshed = b.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'post_refresh' AND subject LIKE 'approval:%'").get() as { n: number };
    expect(refreshed.n).toBeGreaterThanOrEqual(requests.length);
  });

  it('only an executive decides: a revenue manager is refused privately and nothing changes', async () => {
    const { b } = await risky();
    // The review request, and the approval requests of its escalated options, are already queued.
    const queued = b.count('outbox');
    for (const action of ['approve', 'rework', 'decline']) {
      const result = await dispatchAction(b.registry, `proposal.${action}`, 'P-00001', b.ctx({ actor: maria }));
      expect(result.kind).toBe('reply');
      if (result.kind !== 'reply') continue;
      expect(result.reply.error?.code).toBe('forbidden');
      expect(result.reply.visibility).toBe('ephemeral');
      expect(result.reply.summary).toContain('Only an executive may decide');
      expect(result.reply.summary).toContain('Eli Brooks');
    }
    expect((await b.run('/proposal approve P-00001 memo="fine by me"', { actor: maria })).error?.code).toBe('forbidden');
    expect(b.db.prepare('SELECT exec_review FROM proposals').get()).toEqual({ exec_review: 'pending' });
    expect(b.count('outbox')).toBe(queued);
  });

  it('Approve opens the memo form; the memo is required; the approval records it', async () => {
    const { b } = await risky();
    const pressed = await dispatchAction(b.registry, 'proposal.approve', 'P-00001', b.ctx({ actor: eli }));
    expect(pressed).toMatchObject({ kind: 'form', command: 'proposal', subcommand: 'approve', values: { proposal: 'P-00001' } });
    expect(b.db.prepare('SELECT exec_review FROM proposals').get()).toEqual({ exec_review: 'pending' });
    const noMemo = await b.run('/proposal approve P-00001', { actor: eli });
    expect(noMemo.error?.code).toBe('invalid_input');
    expect(noMemo.summary).toContain('`memo` is missing');
    const blank = await b.run('/proposal approve P-00001 memo=" "', { actor: eli });
    expect(blank.error?.code).toBe('invalid_input');
    const ok = await b.run('/proposal approve P-00001 memo="Strategic logo; renewal repricing in Q3"', { actor: eli, platforms: ['slack'] });
    expect(ok.error).toBeUndefined();
    expect(data(ok).executive_review).toMatchObject({ state: 'approved_with_memo', decided_by: 'Eli Brooks', memo: 'Strategic logo; renewal repricing in Q3' });
    expect(toText(outbox(b).at(-1)!.reply)).toContain('Strategic logo; renewal repricing in Q3');
    // Every copy shows the decision and its memo in place of the buttons.
    const copy = toText(rendered(b));
    expect(copy).toContain('approved with a strategic exception memo by Eli Brooks at 2026-11-22 09:00 EST');
    expect(copy).toContain('Strategic logo; renewal repricing in Q3');
    expect(buttonsOf(rendered(b))).toEqual([]);
    // Once decided, the button no longer opens a form: it says who decided.
    const late = await dispatchAction(b.registry, 'proposal.approve', 'P-00001', b.ctx({ actor: eli }));
    expect(late.kind === 'reply' && late.reply.error?.code).toBe('conflict');
  });

  it('the store records exactly one decision however many arrive', async () => {
    const { b } = await risky();
    const d = { at: new Date(), platform: 'slack' as const, userId: 'U0EXEC0001', name: 'Eli Brooks', personId: 'eli', memo: null };
    expect(decideExecReview(b.db, 1, { ...d, decision: 'rework' })).toBe(true);
    expect(decideExecReview(b.db, 1, { ...d, decision: 'declined' })).toBe(false);
    expect(b.db.prepare('SELECT exec_review FROM proposals').get()).toEqual({ exec_review: 'rework' });
  });

  it('a proposal that needs no review cannot be decided', async () => {
    const b = testBed();
    await b.run(`/proposal ${SHARED} base=low recommended=medium premium=high`);
    const r = await b.run('/proposal decline P-00001', { actor: eli });
    expect(r.error?.code).toBe('conflict');
    expect(r.summary).toContain('needs no executive review');
  });
});
