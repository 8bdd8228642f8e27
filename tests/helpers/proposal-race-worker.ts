/**
 * One executive in a race between two processes deciding the same proposal's review
 * (tests/concurrency/proposal-race.test.ts): for each round the parent sends "go" to both at once;
 * each decides proposal round + 1 on its own connection and reports whether its decision won.
 * Run with `node --import tsx`.
 */
import { UserError } from '../../src/core/errors.js';
import { decideProposalReview } from '../../src/deal-desk/proposal-review.js';
import { openDatabase } from '../../src/store/open.js';
import { testBed } from './context.js';

export interface ProposalRaceStart { path: string; who: 'A' | 'B' }

let play: ((round: number) => string) | undefined;
process.on('message', (m: { start?: ProposalRaceStart; go?: number; stop?: true }) => {
  if (m.start) {
    const bed = testBed({ db: openDatabase(m.start.path), now: new Date('2026-11-22T15:00:00Z') });
    const actor = { platform: 'slack' as const, userId: `U-${m.start.who}`, name: `Executive ${m.start.who}`, role: 'executive' as const };
    const decision = m.start.who === 'A' ? 'rework' : 'declined';
    play = (round) => {
      try {
        decideProposalReview(bed.ctx({ actor, platforms: ['slack'] }), `P-${round + 1}`, decision, null);
        return 'won';
      } catch (error) {
        if (error instanceof UserError && error.code === 'conflict') return 'lost';
        throw error;
      }
    };
    process.send?.({ ready: true });
  } else if (m.go !== undefined && play) {
    let outcome: string;
    try {
      outcome = play(m.go);
    } catch (error) {
      outcome = `error ${(error as Error).message}`;
    }
    process.send?.({ round: m.go, outcome });
  } else if (m.stop) {
    process.disconnect();
  }
});
