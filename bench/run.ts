import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeSlack } from '../tests/helpers/fake-slack.js';
import { freePort, rssMB, startChild, waitReady, type Child } from './children.js';
import { percentileMs, runBatch, target, type Load, type Target } from './load.js';

/**
 * /quote latency of the built bot against a bare Bolt app doing nothing but ack, over the same
 * signed Slack HTTP path, plus both processes' idle RSS. `npm run bench` builds first, so the bot
 * runs from dist/ exactly as `npm start` would. Prints figures; never fails on a missed target.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'bench-secret';
const TOKEN = 'xoxb-bench';
const TEXT = 'model=k2p5 complexity=medium segment=smb input=2000 output=800';
const FIRST_FEW = 20;
const WARMUP = 300;
const ROUNDS = 4;
const PER_ROUND = 500;
const IDLE_MS = 2000;
const TIME_LIMIT_MS = 180_000;
const TARGET_P99_RATIO = 1.3;
const TARGET_RSS_MB = 120;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const ms = (v: number) => `${v.toFixed(2)} ms`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

async function main(): Promise<void> {
  const children: Child[] = [];
  const targets: Target[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'j1msky-bench-'));
  let slack: Awaited<ReturnType<typeof startFakeSlack>> | undefined;
  const cleanup = async () => {
    for (const t of targets) t.agent.destroy();
    await Promise.all(children.map((c) => c.stop()));
    // Closed after the children: their keep-alive sockets to it are gone by then.
    await Promise.race([slack?.close(), sleep(2000)]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  // Ctrl-C must not leave two servers running in the background.
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    slack = await startFakeSlack();
    const common = { HOST: '127.0.0.1', SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url };
    const [botPort, floorPort] = [await freePort(), await freePort()];
    const bot = startChild('j1msky-ops', 'dist/src/main.js', botPort, {
      ...common,
      CONSOLE: 'off',
      DATABASE_PATH: join(dataDir, 'ops.db'),
      LOG_LEVEL: 'info', // the default: the bot logs each quote, as it does in production
    }, ROOT, join(dataDir, 'bot.log'));
    children.push(bot);
    const floor = startChild('bare Bolt', 'bench/bare-bolt.mjs', floorPort, common, ROOT, join(dataDir, 'floor.log'));
    children.push(floor);
    await Promise.all([
      waitReady(bot, `http://127.0.0.1:${botPort}/api/pricing/health`, (s) => s === 200),
      // Bare Bolt has no health route; any HTTP answer (a 404) means it is listening.
      waitReady(floor, `http://127.0.0.1:${floorPort}/ready`, () => true),
    ]);

    const floorT = target('floor', floorPort, (status, body) =>
      status === 200 && body === 'ok' ? undefined : `HTTP ${status}: ${body.slice(0, 160)}`,
    );
    const botT = target('j1msky-ops', botPort, (status, body) =>
      status === 200 && body.includes('Quote Q-') ? undefined : `HTTP ${status}: ${body.slice(0, 160)}`,
    );
    targets.push(floorT, botT);
    let trigger = 0;
    const load: Load = {
      secret: SECRET,
      text: TEXT,
      deadline: Date.now() + TIME_LIMIT_MS,
      nextTrigger: () => `bench-${process.pid}-${++trigger}`,
    };

    // Idle RSS is read once both have started and served a few commands (so Bolt's auth.test, the
    // pricing path and SQLite are all loaded), before the load inflates the heap: V8 keeps
    // collected space for a while, so a reading after thousands of requests measures the burst.
    await runBatch(floorT, load, FIRST_FEW, false);
    await runBatch(botT, load, FIRST_FEW, false);
    await sleep(IDLE_MS);
    const idle = { bot: rssMB(bot.pid), floor: rssMB(floor.pid) };

    // Warm-up lets V8 optimise the hot paths before timing.
    await runBatch(floorT, load, WARMUP, false);
    await runBatch(botT, load, WARMUP, false);
    // Interleaved rounds, first target swapped each round, so drift in machine load (thermal,
    // neighbours, GC of the load generator) lands on both sides alike.
    for (let round = 0; round < ROUNDS; round++) {
      const order: Target[] = round % 2 === 0 ? [floorT, botT] : [botT, floorT];
      for (const t of order) await runBatch(t, load, PER_ROUND, true);
    }

    // Shown beside the idle figure so a leak or a heavy per-request footprint would be visible.
    await sleep(IDLE_MS);
    const after = { bot: rssMB(bot.pid), floor: rssMB(floor.pid) };

    report(floorT, botT, idle, after, slack.calls.map((c) => c.method));
  } finally {
    await cleanup();
  }
}

type Rss = { bot: number | undefined; floor: number | undefined };

function report(floorT: Target, botT: Target, idle: Rss, after: Rss, slackCalls: string[]): void {
  const f50 = percentileMs(floorT.samplesNs, 0.5);
  const f99 = percentileMs(floorT.samplesNs, 0.99);
  const b50 = percentileMs(botT.samplesNs, 0.5);
  const b99 = percentileMs(botT.samplesNs, 0.99);
  const r50 = b50 / f50;
  const r99 = b99 / f99;
  const mb = (v: number | undefined) => (v === undefined ? 'n/a (no /proc)' : `${v.toFixed(1)} MB`);
  const n = botT.samplesNs.length === floorT.samplesNs.length ? `n=${botT.samplesNs.length} each` : `n=${floorT.samplesNs.length}/${botT.samplesNs.length}`;
  const calls = [...new Set(slackCalls)].join(', ') || 'none';

  const lines = [
    `/quote round trip via Slack HTTP (${n}, sequential, after ${WARMUP} warm-up each)`,
    `  floor (bare Bolt, ack constant): p50 ${ms(f50)}  p99 ${ms(f99)}`,
    `  j1msky-ops /quote:               p50 ${ms(b50)}  p99 ${ms(b99)}`,
    `  ratio bot/floor:                 p50 ${r50.toFixed(2)}x    p99 ${r99.toFixed(2)}x   (target p99 <= ${TARGET_P99_RATIO}x: ${verdict(r99 <= TARGET_P99_RATIO)})`,
    `idle RSS: j1msky-ops ${mb(idle.bot)} (target < ${TARGET_RSS_MB} MB: ${idle.bot === undefined ? 'n/a' : verdict(idle.bot < TARGET_RSS_MB)}), bare Bolt ${mb(idle.floor)}`,
    `  (after ${FIRST_FEW} commands + ${IDLE_MS / 1000} s idle; after the whole run + ${IDLE_MS / 1000} s idle: j1msky-ops ${mb(after.bot)}, bare Bolt ${mb(after.floor)})`,
  ];
  // A wrong answer means the timing is of something other than a priced quote.
  for (const t of [floorT, botT]) {
    if (t.failed === 0) {
      lines.push(`answers: ${t.name} ${t.answered}/${t.answered} correct`);
    } else {
      lines.push(`answers: ${t.name} ${t.failed} of ${t.answered} WRONG, so its figures are INVALID; first: ${t.failures.join(' | ')}`);
    }
  }
  lines.push(`fake Slack Web API: ${slackCalls.length} calls (${calls}); auth.test once per app expected`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
