import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startChild, waitReady } from './children.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const SETTLE_MS = 3_000;
const WINDOW_MS = 5_000;

/** Milliseconds from spawning the built bot to its first 200 from /healthz, once per run, each on the same database. */
export async function startToReady(root: string, dbPath: string, logDir: string, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const port = await freePort();
    const t = process.hrtime.bigint();
    const bot = startChild('j1msky-ops', 'dist/main.js', port, { HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_PATH: dbPath, LOG_LEVEL: 'info' }, root, join(logDir, 'start.log'));
    try {
      // Polled every 5 ms: a coarser poll would add its own interval to the figure.
      for (;;) {
        if (bot.exited()) throw new Error(`the bot exited before it was ready:\n${bot.output()}`);
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((res) => res.arrayBuffer().then(() => res.status === 200), () => false);
        if (ok) break;
        await sleep(5);
      }
      out.push(Number(process.hrtime.bigint() - t) / 1e6);
    } finally {
      await bot.stop();
    }
  }
  return out;
}

/** CPU time of every thread of a process, in nanoseconds (schedstat: exact, unlike 10 ms clock ticks). */
function cpuNs(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).reduce((sum, task) => {
    try {
      return sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      return sum; // a thread that ended between the listing and the read
    }
  }, 0);
}

/**
 * Idle CPU of the built bot with Slack on (against the fake Web API on 127.0.0.1): the outbox polls
 * every second, the risk loop and the clock tick on their own. Percent of one core, one figure per
 * window, after the start-up work has settled.
 */
export async function idleCpuPct(root: string, dbPath: string, logDir: string, slackUrl: string, runs: number): Promise<number[]> {
  const port = await freePort();
  const bot = startChild('j1msky-ops', 'dist/main.js', port, {
    HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_PATH: dbPath, LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 'bench-secret', SLACK_API_URL: slackUrl,
  }, root, join(logDir, 'idle.log'));
  try {
    await waitReady(bot, `http://127.0.0.1:${port}/api/pricing/health`, (s) => s === 200);
    await sleep(SETTLE_MS);
    const out: number[] = [];
    for (let r = 0; r < runs; r++) {
      const [c0, t0] = [cpuNs(bot.pid), process.hrtime.bigint()];
      await sleep(WINDOW_MS);
      const [c1, t1] = [cpuNs(bot.pid), process.hrtime.bigint()];
      out.push(((c1 - c0) / Number(t1 - t0)) * 100);
    }
    return out;
  } finally {
    await bot.stop();
  }
}
