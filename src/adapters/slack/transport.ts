import { webApi } from '@slack/bolt';
import type { Transport } from '../../outbox/deliver.js';
import { RateLimited } from '../../outbox/deliver.js';
import { toBlockKit } from '../../reply/block-kit.js';
import type { Logger } from '../../logger.js';
import { boltLogger } from './logger.js';

/**
 * The outbox's way into Slack. Its client neither retries nor waits out rate limits by itself:
 * the outbox owns retries, so a message is never sent twice by two layers of retrying.
 */
export function slackTransport(options: { token: string; apiUrl?: string; log: Logger }): Transport {
  const client = new webApi.WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logger: boltLogger(options.log),
  });
  const call = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number };
      if (e.code === webApi.ErrorCode.RateLimitedError) throw new RateLimited(e.retryAfter ?? 30);
      throw error;
    }
  };
  return {
    platform: 'slack',
    post: async (destination, reply) => {
      const m = toBlockKit(reply);
      const res = await call(() => client.chat.postMessage({ channel: destination, text: m.text, blocks: m.blocks as never }));
      return { channel: String(res.channel ?? destination), ts: String(res.ts) };
    },
    update: async (channel, ts, reply) => {
      const m = toBlockKit(reply);
      await call(() => client.chat.update({ channel, ts, text: m.text, blocks: m.blocks as never }));
    },
  };
}
