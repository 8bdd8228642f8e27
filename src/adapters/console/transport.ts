import { formatLocalTime } from '../../domain/calendar.js';
import type { Transport } from '../../outbox/deliver.js';
import { toText } from '../../reply/text.js';

/**
 * With no chat platform, alerts and posts reach the person at the console. What was queued while
 * no console was open (a `schedule run` from the CLI, a post while the bot ran as a service) is
 * printed when the console next opens, marked as such.
 */
export function consoleTransport(print: (text: string) => void, options: { openedAt: Date; timezone: string }): Transport {
  let n = 0;
  return {
    platform: 'console',
    post: async (_destination, reply, meta) => {
      const away = meta && meta.queuedAt < options.openedAt ? `(while you were away, ${formatLocalTime(meta.queuedAt, options.timezone)})\n` : '';
      print(`\n${away}${toText(reply)}`);
      n += 1;
      return { channel: 'console', ts: String(n) };
    },
    update: async (_channel, ts, reply) => {
      print(`\n(update to message ${ts})\n${toText(reply)}`);
    },
  };
}
