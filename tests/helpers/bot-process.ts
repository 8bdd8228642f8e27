import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fixtureEnv } from './seed.js';

export const root = new URL('../..', import.meta.url).pathname;

/**
 * Root ignores file modes, so a read-only database is only read-only to someone else: as root the
 * bot is started as nobody, the way a service user on a Pi meets a file it does not own.
 */
const asRoot = process.getuid?.() === 0;
const nobody = { uid: 65534, gid: 65534 };

/** Whether nobody can read this checkout (a clone under a private home directory cannot be). */
function nobodyCanRunTheBot(): boolean {
  const probe = `const fs = require('node:fs'); for (const f of ['src/main.ts', 'node_modules/.bin/tsx', 'node_modules/better-sqlite3/package.json']) fs.accessSync(f, fs.constants.R_OK)`;
  return spawnSync(process.execPath, ['-e', probe], { cwd: root, ...nobody }).status === 0;
}

/** A read-only file can be tested as an ordinary user, or as root dropping to nobody where nobody can read the code. */
export const canTestFileModes = !asRoot || nobodyCanRunTheBot();
export const unprivileged = asRoot && canTestFileModes ? nobody : {};

export interface BotProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves with the API's URL once the bot logged that it started; rejects if it exits first. */
  started: Promise<string>;
}

/**
 * Starts src/main.ts as a service would run it: no console, a port of its own, JSON logs. One process
 * (`node --import tsx`), not the tsx wrapper: the wrapper runs the bot as its child, so a SIGKILL
 * meant to cut the bot's power killed only the wrapper and left the bot writing.
 */
export function spawnBot(env: Record<string, string>, options: { asUnprivileged?: boolean } = {}): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...fixtureEnv, PATH: process.env.PATH, HOME: '/tmp', PORT: '0', CONSOLE: 'off', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.asUnprivileged ? unprivileged : {}),
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let gone = false;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => ((gone = true), resolve(code))));
  const started = new Promise<string>((resolve, reject) => {
    const look = () => {
      const line = out.split('\n').find((l) => l.includes('j1msky-ops started'));
      if (line) return resolve((JSON.parse(line) as { url: string }).url);
      if (gone) return reject(new Error(`the bot exited before it started:\n${out}`));
      setTimeout(look, 50);
    };
    look();
  });
  started.catch(() => undefined);
  return { child, output: () => out, exited, started };
}
