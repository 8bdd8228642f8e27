import type { CommandContext } from './command.js';
import { reply, text, type Reply } from '../reply/reply.js';
import { DatabaseBusyError, retryWhileBusy } from '../store/busy.js';

const BUSY_MESSAGE = 'The database is busy (another program is writing to it), so nothing was saved. Please try again in a moment.';

/** What every surface shows when the lock outlasted the wait: HTTP answers it 503. */
export function busyReply(): Reply {
  return { ...reply(BUSY_MESSAGE, [text(BUSY_MESSAGE)]), error: { code: 'busy' } };
}

/**
 * Another process holding the write lock is waited out off the event loop: command and button
 * handlers write in transactions, which a busy error rolls back whole, so running one again is
 * safe. Past the budget the person is told the database is busy, not "something went wrong".
 */
export async function waitOutLocks<T>(work: () => Promise<T>, ctx: Pick<CommandContext, 'log'>, answer: (busy: Reply) => T): Promise<T> {
  try {
    return await retryWhileBusy(work, { onRetry: (attempt) => attempt === 1 && ctx.log.warn('database busy; retrying') });
  } catch (error) {
    if (!(error instanceof DatabaseBusyError)) throw error;
    ctx.log.warn({ waitedMs: error.waitedMs }, 'database busy; answered busy');
    return answer(busyReply());
  }
}
