import type { Transport } from '../../outbox/deliver.js';
import { toText } from '../../reply/text.js';

/** With no chat platform, alerts reach the person at the console. */
export function consoleTransport(print: (text: string) => void): Transport {
  let n = 0;
  return {
    platform: 'console',
    post: async (_destination, reply) => {
      print(`\n${toText(reply)}`);
      n += 1;
      return { channel: 'console', ts: String(n) };
    },
    update: async (_channel, ts, reply) => {
      print(`\n(update to message ${ts})\n${toText(reply)}`);
    },
  };
}
