import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { SIGNING_SECRET } from '../helpers/slack-request.js';

let bot: RunningBot | undefined;
let slack: Awaited<ReturnType<typeof startFakeSlack>> | undefined;
afterEach(async () => {
  await bot?.stop();
  await slack?.close();
  bot = undefined;
});

describe('the cadence across a reboot of the whole bot', () => {
  it('posts the morning triage at start, then after a mid-day crash catches up the sweep and its follow-up once', async () => {
    slack = await startFakeSlack();
    const path = join(mkdtempSync(join(tmpdir(), 'j1msky-reboot-')), 'ops.db');
    let now = new Date('2026-11-23T14:05:00Z'); // Monday 09:05 in New York
    const start = async () => {
      bot = await startBot(testConfig({ PORT: '0', DATABASE_PATH: path, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack?.url ?? '' }), silentLog, { clock: () => now });
      await bot.risk.tick();
      return bot;
    };
    const posted = () => (slack?.callsTo('chat.postMessage') ?? []).map((c) => String(c.body.text).split(':')[0]);

    await start();
    // The executive brief's 08:30 slot is 35 minutes old: within the grace window, so it posts too.
    expect(posted()).toEqual(['Morning triage', 'Executive brief']);
    await bot?.stop(); // the Pi loses power at 09:05...
    bot = undefined;

    now = new Date('2026-11-23T18:10:00Z'); // ...and is back at 13:10
    const again = await start();
    expect(posted()).toEqual(['Morning triage', 'Executive brief', '[Exception Risk', 'Midday follow-up']);
    again.scheduleTick();
    await again.risk.tick();
    expect(posted()).toHaveLength(4);
    const runs = again.services.db.prepare('SELECT job, status FROM schedule_runs ORDER BY slot').all();
    expect(runs).toEqual([
      { job: 'exec-brief', status: 'posted' },
      { job: 'morning-triage', status: 'posted' },
      { job: 'midday-sweep', status: 'posted' },
      { job: 'midday-followup', status: 'posted' },
    ]);
  });
});
