import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sqlite as Database } from '../../src/store/sqlite.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureEnv } from '../helpers/seed.js';

// The console is driven as a person would drive it: in a real terminal (tmux), typing and reading the screen.
const SOCKET = `j1msky-console-test-${process.pid}`;
const SESSION = 'bot';
const dir = mkdtempSync(join(tmpdir(), 'j1msky-console-'));
const dbPath = join(dir, 'ops.db');
const root = new URL('../..', import.meta.url).pathname;

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', SESSION);
const type = (line: string) => {
  tmux('send-keys', '-t', SESSION, '-l', line);
  tmux('send-keys', '-t', SESSION, 'Enter');
};
const alive = () => spawnSync('tmux', ['-L', SOCKET, 'has-session', '-t', SESSION]).status === 0;

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${alive() ? screen() : '(session ended)'}`);
}

beforeAll(() => {
  // A clean environment: no chat tokens, so the console is the embedded default.
  const env = [`PATH=${process.env.PATH}`, `HOME=${dir}`, 'LANG=C.UTF-8', 'TERM=xterm-256color', 'PORT=0', 'OPS_TIMEZONE=UTC', `DATABASE_PATH=${dbPath}`, `LOG_FILE=${join(dir, 'ops.log')}`, ...Object.entries(fixtureEnv).map(([k, v]) => `${k}=${v}`)];
  const command = `cd ${root} && env -i ${env.map((e) => `'${e}'`).join(' ')} node_modules/.bin/tsx src/main.ts; sleep 0.2`;
  tmux('-u', 'new-session', '-d', '-s', SESSION, '-x', '200', '-y', '60', command);
});

afterAll(() => {
  if (alive()) tmux('kill-server');
});

describe('the local console', () => {
  it('opens on the embedded default, prices a quote, explains mistakes, and exits', async () => {
    await waitFor(() => screen().includes('j1msky>'), 'the prompt');
    expect(screen()).toContain('J1MSKY ops console · HTTP API http://127.0.0.1:');

    type('/quote model=k2p5 complexity=medium segment=smb input=2000 output=800');
    await waitFor(() => screen().includes('Quote Q-00001:'), 'the quote');
    const shown = screen();
    expect(shown).toMatch(/Price\s+\$0\.50 \(the \$0\.50 floor applies\)/);
    expect(shown).toMatch(/Gross margin\s+99\.28% \(task guardrail 55%: pass\)/);
    expect(shown).toContain('approved');

    type('/quote complexity=extreme');
    await waitFor(() => screen().includes('complexity must be one of low, medium, high; you gave extreme.'), 'the polite error');

    // With no chat platform, alerts reach the person at the console.
    type(`/exceptions add quote=CRM-1 account=Globex segment=smb reason="strategic logo" approved_by=Eli approved_by_role=executive owner=sam plan="renewal repricing" target_date=2027-01-31 approved_at=${new Date(Date.now() - 31 * 86_400_000).toISOString().slice(0, 10)}`);
    await waitFor(() => screen().includes('[Exception Risk: critical] EX-00001 Globex (smb) is 31 days old'), 'the critical alert');

    type('/help');
    await waitFor(() => screen().includes('J1MSKY ops: commands'), 'the help');

    type('/exit');
    await waitFor(() => !alive(), 'the console to close');

    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare('SELECT platform, surface, decision FROM quotes').all()).toEqual([{ platform: 'console', surface: 'console', decision: 'approved' }]);
    db.close();
  }, 60_000);
});
