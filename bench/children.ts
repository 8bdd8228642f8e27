import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The servers under test run in their own processes, so the load generator's CPU and GC never land
 * inside a measured server, and RSS read from /proc is the server's alone.
 */
export interface Child {
  name: string;
  pid: number;
  port: number;
  proc: ChildProcess;
  /** The last few KB the child wrote, for explaining a failed start. */
  output: () => string;
  exited: () => boolean;
  stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Asks the kernel for a free loopback port; the child must be told its port up front to be reachable. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not read a free port');
  return address.port;
}

/**
 * Spawns `node <script>` directly, never through npm or a shell, so child.pid is the Node process
 * whose memory we read. The environment is built from scratch: an inherited NODE_OPTIONS, .env-style
 * API_TOKEN or tsx loader flag would change what is being measured.
 */
export function startChild(name: string, script: string, port: number, env: Record<string, string>, cwd: string, logFile: string, nodeFlags: readonly string[] = []): Child {
  // Output goes to a file, as it goes to journald on a Pi: piped into this process, every log line
  // would wake the load generator's event loop mid-measurement and be counted as server latency.
  const fd = openSync(logFile, 'a');
  const proc = spawn(process.execPath, [...nodeFlags, script], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, PORT: String(port) },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (proc.pid === undefined) throw new Error(`${name}: spawn failed`);
  let spawnError = '';
  proc.once('error', (error) => (spawnError = `spawn error: ${error.message}\n`));
  const tail = () => {
    try {
      return spawnError + readFileSync(logFile, 'utf8').slice(-4096);
    } catch {
      return spawnError;
    }
  };
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    proc.once('exit', () => {
      exited = true;
      resolve();
    });
  });

  return {
    name,
    pid: proc.pid,
    port,
    proc,
    output: tail,
    exited: () => exited,
    stop: async () => {
      if (exited) return;
      proc.kill('SIGTERM');
      // A graceful stop lets the bot close SQLite cleanly; SIGKILL only if it hangs.
      const graceful = await Promise.race([exit.then(() => true), sleep(3000).then(() => false)]);
      if (!graceful && !exited) {
        proc.kill('SIGKILL');
        await exit;
      }
    },
  };
}

/**
 * The V8 flags the systemd unit starts the bot with (its ExecStart line), so the bot is measured as
 * a Pi runs it, and a flag changed in the unit is measured without editing the bench.
 */
export function deployedNodeFlags(root: string): string[] {
  const unit = readFileSync(`${root}/deploy/j1msky-ops.service`, 'utf8');
  const exec = /^ExecStart=\S+((?:\s+--\S+)*)\s+(?:\S*\/)?dist\/main\.js\s*$/m.exec(unit);
  if (!exec) throw new Error('deploy/j1msky-ops.service: no ExecStart=<node> [--flags] dist/main.js line');
  return (exec[1] ?? '').trim().split(/\s+/).filter(Boolean);
}

/** Polls until `url` answers with a status `accept` likes; fails fast if the child dies first. */
export async function waitReady(child: Child, url: string, accept: (status: number) => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error(`${child.name} exited before it was ready:\n${child.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (accept(res.status)) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(50);
  }
  throw new Error(`${child.name} not ready after ${timeoutMs} ms (${last}):\n${child.output()}`);
}

/** Resident set size in MiB from /proc (Linux only); undefined where there is no /proc. */
export function rssMB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
