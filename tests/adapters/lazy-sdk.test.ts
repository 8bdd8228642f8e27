import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnBot } from '../helpers/bot-process.js';

const refuseSdks = new URL('../helpers/refuse-sdks.mjs', import.meta.url).pathname;

/**
 * The chat SDKs are most of the bot's memory and start-up: a bot that is not configured for a
 * platform must never import its SDK. Each bot runs with a loader hook that fails any import of
 * @slack/bolt or discord.js, so the bot either starts (nothing asked for them) or dies naming one.
 * The configured rows prove the hook bites: without them a hook that never ran would pass.
 */
const cases = [
  { name: 'no tokens', env: {}, refused: null },
  { name: 'Slack in HTTP mode', env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: 'http://127.0.0.1:9/api/' }, refused: '@slack/bolt' },
  { name: 'Discord', env: { DISCORD_TOKEN: 'token', DISCORD_APP_ID: '1', DISCORD_API_URL: 'http://127.0.0.1:9/api' }, refused: 'discord.js' },
] as const;

describe('a bot imports a chat SDK only for a configured platform', () => {
  it.each(cases)('$name', async ({ env, refused }) => {
    const dir = mkdtempSync(join(tmpdir(), 'j1msky-lazy-'));
    const bot = spawnBot({ DATABASE_PATH: join(dir, 'ops.db'), NODE_OPTIONS: `--import=${refuseSdks}`, ...env });
    try {
      if (refused === null) {
        const url = await bot.started;
        const res = await fetch(`${url}/api/pricing/health`);
        expect(res.status).toBe(200);
        expect(bot.output()).not.toContain('refused import');
      } else {
        await expect(bot.started).rejects.toThrow(`refused import of a chat SDK: ${refused}`);
      }
    } finally {
      bot.child.kill('SIGKILL');
      await bot.exited;
    }
  }, 30_000);
});
