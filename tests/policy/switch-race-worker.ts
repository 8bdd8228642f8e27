/**
 * One bot's clock in a race between two processes on one database file (tests/policy/switch.test.ts):
 * for each round the parent sends "go" to both at once; each runs the policy switch's announcer at
 * that round's instant on its own connection, as the risk loop's tick does (a busy database is tried
 * again, as the next tick would), and reports the versions it announced. Run with `node --import tsx`.
 */
import { announceDueVersions } from '../../src/policy/switch.js';
import { retryWhileBusy } from '../../src/store/busy.js';
import { openDatabase } from '../../src/store/open.js';
import { seedCatalog } from '../helpers/seed.js';

export interface SwitchRaceStart { path: string; start: string; stepMs: number }

let play: ((round: number) => Promise<string[]>) | undefined;
process.on('message', (m: { start?: SwitchRaceStart; go?: number; stop?: true }) => {
  if (m.start) {
    const { path, start, stepMs } = m.start;
    const db = openDatabase(path);
    play = (round) =>
      retryWhileBusy(() =>
        announceDueVersions({ db, catalog: seedCatalog, timezone: 'America/New_York', platforms: ['slack', 'discord'], now: new Date(new Date(start).getTime() + round * stepMs) }),
      );
    process.send?.({ ready: true });
  } else if (m.go !== undefined && play) {
    const round = m.go;
    play(round).then(
      (announced) => process.send?.({ round, announced }),
      (error: unknown) => process.send?.({ round, error: (error as Error).message }),
    );
  } else if (m.stop) {
    process.disconnect();
  }
});
