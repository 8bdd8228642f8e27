/**
 * One contender in a race between two processes on one database file (tests/concurrency). The parent
 * forks two of these, then for each round sends "go" to both at once; each does the round's operation
 * on its own connection and reports what it saw. Run with `node --import tsx`.
 */
import { schedules } from '../../schedules/index.js';
import { acknowledge } from '../../src/alerts/acknowledge.js';
import { decideQuote } from '../../src/domain/decision.js';
import { priceQuote } from '../../src/domain/pricing.js';
import { resolveJobs, runSlot } from '../../src/scheduler/runner.js';
import { retryWhileBusy } from '../../src/store/busy.js';
import { openDatabase } from '../../src/store/open.js';
import { recordQuote } from '../../src/store/quotes.js';
import { silentLog, testBed } from './context.js';
import { quoteRequest, seedCatalog, seedPolicy } from './seed.js';

export type RaceOp = 'acknowledge' | 'claim_slot' | 'record_quote';
export interface RaceStart { op: RaceOp; path: string; who: 'A' | 'B' }
export interface RaceResult { round: number; outcome: string }

/** Round i's target: alert i + 1, the i-th slot, the i-th idempotency key. */
const raceSlot = (round: number) => new Date(Date.UTC(2026, 10, 23, 17, 30) + round * 86_400_000);
const RACE_NOW = new Date('2026-11-22T15:00:00Z');

function contender(start: RaceStart): (round: number) => string {
  const db = openDatabase(start.path);
  const bed = testBed({ db, now: RACE_NOW });
  const name = start.who === 'A' ? 'Maria Lopez' : 'Eli Brooks';
  if (start.op === 'acknowledge') {
    const actor = { platform: 'slack' as const, userId: `U-${start.who}`, name, role: 'revenue_manager' as const };
    return (round) => {
      const reply = acknowledge(bed.ctx({ actor, platforms: ['slack', 'discord'] }), round + 1);
      return (reply.data as { acknowledged: boolean }).acknowledged ? 'won' : 'lost';
    };
  }
  if (start.op === 'claim_slot') {
    const job = resolveJobs(schedules, seedCatalog).find((j) => j.def.name === 'midday-sweep');
    if (!job) throw new Error('no midday-sweep schedule');
    const env = { db, catalog: seedCatalog, config: bed.config, platforms: ['slack'] as const, log: silentLog };
    return (round) => (runSlot(env, job, raceSlot(round), raceSlot(round)) === 'posted' ? 'won' : 'lost');
  }
  const request = quoteRequest();
  const rate = seedCatalog.rateCard.models.get(request.model);
  if (!rate) throw new Error(`no rate for ${request.model}`);
  const price = priceQuote(request, rate, seedPolicy);
  const decision = decideQuote(request, price, seedPolicy);
  return (round) => {
    const { quote, created } = recordQuote(db, {
      createdAt: RACE_NOW, platform: 'slack', surface: 'slash', userId: `U-${start.who}`, userName: name, account: null,
      request, price, decision, policyVersion: seedPolicy.id, idempotencyKey: `race-${round}`,
    });
    return `${created ? 'won' : 'lost'} ${quote.id}`;
  };
}

let play: ((round: number) => string) | undefined;
// Every production path retries a unit of work that found the database locked (commands through
// retryWhileBusy, the scheduler and risk loop on their next tick), so a contender does too: the race
// is about who wins, and a machine loaded by other test runs can hold a lock past one busy timeout.
const RACE_BUSY_BUDGET_MS = 10_000;

process.on('message', async (m: { start?: RaceStart; go?: number; stop?: true }) => {
  if (m.start) {
    play = contender(m.start);
    process.send?.({ ready: true });
  } else if (m.go !== undefined && play) {
    let outcome: string;
    try {
      const round = m.go;
      const contend = play;
      outcome = await retryWhileBusy(() => contend(round), { budgetMs: RACE_BUSY_BUDGET_MS });
    } catch (error) {
      outcome = `error ${(error as Error).message}`;
    }
    process.send?.({ round: m.go, outcome } satisfies RaceResult);
  } else if (m.stop) {
    process.disconnect();
  }
});
