import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureEnv } from '../helpers/seed.js';

const root = new URL('../..', import.meta.url).pathname;

describe('running as a service (no terminal)', () => {
  it('opens no console, serves the API, logs JSON to stdout and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'j1msky-service-'));
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: '0', DATABASE_PATH: join(dir, 'ops.db'), LOG_LEVEL: 'info', ...fixtureEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 20_000;
    while (!out.includes('j1msky-ops started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const started = JSON.parse(out.split('\n').find((l) => l.includes('j1msky-ops started')) ?? '{}') as { url?: string };
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${started.url}/api/pricing/health`)).status).toBe(200);
    expect(out).not.toContain('j1msky>');

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('j1msky-ops stopped');
  }, 30_000);
});
