import { Agent, request } from 'node:http';
import { sign, slashCommandBody } from '../tests/helpers/slack-request.js';

/** One server under load: its own keep-alive connection, its own samples and its own failures. */
export interface Target {
  name: string;
  port: number;
  agent: Agent;
  /** Returns why an answer is wrong, or undefined when it is right. */
  check: (status: number, body: string) => string | undefined;
  samplesNs: number[];
  answered: number;
  failed: number;
  failures: string[];
}

export function target(name: string, port: number, check: Target['check']): Target {
  // One socket, kept alive: sequential requests then measure the server, not TCP handshakes.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return { name, port, agent, check, samplesNs: [], answered: 0, failed: 0, failures: [] };
}

const REQUEST_TIMEOUT_MS = 5000;

function post(t: Target, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: t.port, path: '/slack/events', method: 'POST', agent: t.agent, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface Load {
  secret: string;
  text: string;
  /** Wall-clock limit for the whole run, so a wedged server cannot hold the benchmark forever. */
  deadline: number;
  /** A process-unique trigger_id: a repeated one would be answered from the idempotency ledger. */
  nextTrigger: () => string;
}

/**
 * Sends `count` signed /quote commands one after another. Body building and HMAC signing happen
 * before the clock starts, so only the round trip is timed. Every answer is checked, warm-up too.
 */
export async function runBatch(t: Target, load: Load, count: number, record: boolean): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (Date.now() > load.deadline) throw new Error(`benchmark exceeded its time limit while loading ${t.name}`);
    const body = slashCommandBody('/quote', load.text, { trigger_id: load.nextTrigger() });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(body, timestamp, load.secret),
    };
    const start = process.hrtime.bigint();
    let problem: string | undefined;
    try {
      const res = await post(t, body, headers);
      problem = t.check(res.status, res.text);
    } catch (error) {
      problem = (error as Error).message;
    }
    const elapsed = Number(process.hrtime.bigint() - start);
    if (record) t.samplesNs.push(elapsed);
    t.answered++;
    if (problem !== undefined) {
      t.failed++;
      if (t.failures.length < 3) t.failures.push(problem);
    }
  }
}

/** Nearest-rank percentile of `p` in [0, 1], in milliseconds. */
export function percentileMs(samplesNs: number[], p: number): number {
  const sorted = [...samplesNs].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return (sorted[index] ?? Number.NaN) / 1e6;
}
