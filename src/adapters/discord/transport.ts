import { RateLimitError, REST, Routes } from 'discord.js';
import type { Transport } from '../../outbox/deliver.js';
import { RateLimited } from '../../outbox/deliver.js';
import { toDiscord } from '../../reply/discord.js';

/**
 * The outbox's way into Discord. Rate limits are handed back rather than waited out inside the
 * client, so the outbox alone decides when to try again and nothing is sent twice.
 */
export function discordTransport(options: { token: string; apiUrl?: string }): Transport {
  const rest = new REST({ ...(options.apiUrl ? { api: options.apiUrl } : {}), rejectOnRateLimit: () => true, retries: 0 }).setToken(options.token);
  const call = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (error) {
      if (error instanceof RateLimitError) throw new RateLimited(Math.ceil(error.retryAfter / 1000));
      throw error;
    }
  };
  const channelFor = async (destination: string) => {
    if (!destination.startsWith('user:')) return destination;
    const dm = (await call(() => rest.post(Routes.userChannels(), { body: { recipient_id: destination.slice(5) } }))) as { id: string };
    return dm.id;
  };
  return {
    platform: 'discord',
    post: async (destination, reply) => {
      const channel = await channelFor(destination);
      const { flags: _ephemeral, ...body } = toDiscord(reply);
      const message = (await call(() => rest.post(Routes.channelMessages(channel), { body }))) as { id: string; channel_id: string };
      return { channel: message.channel_id ?? channel, ts: message.id };
    },
    update: async (channel, ts, reply) => {
      const { flags: _ephemeral, ...body } = toDiscord(reply);
      await call(() => rest.patch(Routes.channelMessage(channel, ts), { body }));
    },
  };
}
