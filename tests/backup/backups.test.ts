import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sqlite as Database } from '../../src/store/sqlite.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { takeBackup } from '../../src/backup/take.js';
import { latestBackups, recentBackups } from '../../src/store/backups.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';
import { pidFilePath } from '../../src/store/pid-file.js';
import { silentLog, testConfig } from '../helpers/context.js';
import { fixtureEnv } from '../helpers/seed.js';

const root = new URL('../..', import.meta.url).pathname;
const H = 3_600_000;
const scratch = () => mkdtempSync(join(tmpdir(), 'j1msky-backup-'));
const quotesOf = (path: string) => {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare('SELECT seq, final_price_micros, decision FROM quotes ORDER BY seq').all();
  db.close();
  return rows;
};
const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env: { ...process.env, ...fixtureEnv, ...env }, encoding: 'utf8', timeout: 60_000 });

let bot: RunningBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function botWithQuotes(dir: string, env: Record<string, string> = {}, clock?: () => Date) {
  bot = await startBot(testConfig({ PORT: '0', DATABASE_PATH: join(dir, 'ops.db'), BACKUP_DIR: join(dir, 'backups'), RISK_TICK_SECONDS: '3600', ...env }), silentLog, clock ? { clock } : {});
  for (const input of [2000, 3000, 4000]) {
    const r = await fetch(`${bot.url}/api/pricing/quote`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'k2p5', complexity: 'medium', segment: 'smb', estimated_input: input, estimated_output: 800 }),
    });
    expect(r.status).toBe(200);
  }
  return bot;
}

describe('an online backup', () => {
  it('copies every row while the bot runs, is checked, recorded, and copied off the card', async () => {
    const dir = scratch();
    const copyDir = join(dir, 'usb');
    spawnSync('mkdir', [copyDir]);
    const b = await botWithQuotes(dir);
    const record = await takeBackup(b.services.db, { dir: join(dir, 'backups'), copyDir }, 'manual', () => new Date());
    expect(record).toMatchObject({ ok: true, error: null, copyError: null, reason: 'manual' });
    expect(quotesOf(record.file ?? '')).toEqual(quotesOf(join(dir, 'ops.db')));
    expect(quotesOf(record.copyFile ?? '')).toHaveLength(3);
    expect(readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(latestBackups(b.services.db).good?.id).toBe(record.id);
  });

  it('records a copy whose second place is not mounted as a copy error, and the backup itself as good', async () => {
    const dir = scratch();
    const b = await botWithQuotes(dir);
    const record = await takeBackup(b.services.db, { dir: join(dir, 'backups'), copyDir: join(dir, 'not-mounted') }, 'manual', () => new Date());
    expect(record.ok).toBe(true);
    expect(record.copyError).toMatch(/BACKUP_COPY_DIR .*not-mounted does not exist \(is the USB stick or share mounted\?\)/);
    expect(existsSync(join(dir, 'not-mounted'))).toBe(false); // never created on the card
  });

  it('records a failure without throwing when the backup directory cannot be written', async () => {
    const dir = scratch();
    const b = await botWithQuotes(dir);
    writeFileSync(join(dir, 'a-file'), 'x');
    const record = await takeBackup(b.services.db, { dir: join(dir, 'a-file', 'backups') }, 'schedule', () => new Date());
    expect(record).toMatchObject({ ok: false, file: null });
    expect(record.error).toMatch(/ENOTDIR|not a directory/);
  });
});

describe('the schedule: due from the table, once after a restart, and told once when failing', () => {
  it('backs up when due, not again within the hour, again after it, and not twice across a restart', async () => {
    const dir = scratch();
    let now = new Date('2026-11-22T14:00:00Z');
    const clock = () => now;
    let b = await botWithQuotes(dir, { BACKUP_EVERY: '1h' }, clock);
    await b.backups.tick();
    await b.backups.tick();
    expect(recentBackups(b.services.db)).toHaveLength(1);
    now = new Date(now.getTime() + H - 1000);
    await b.backups.tick();
    expect(recentBackups(b.services.db)).toHaveLength(1);
    // The Pi is off past its hour, then starts again: one backup on the first check, not two.
    await b.stop();
    bot = undefined;
    now = new Date(now.getTime() + 3 * H);
    b = bot = await startBot(testConfig({ PORT: '0', DATABASE_PATH: join(dir, 'ops.db'), BACKUP_DIR: join(dir, 'backups'), BACKUP_EVERY: '1h', RISK_TICK_SECONDS: '3600' }), silentLog, { clock });
    await b.backups.tick();
    await b.backups.tick();
    expect(recentBackups(b.services.db)).toHaveLength(2);
    expect(b.backups.health().state).toBe('ok');
    const health = (await (await fetch(`${b.url}/healthz`)).json()) as { status: string; backup: { state: string; last_good_at: string } };
    expect(health).toMatchObject({ status: 'ok', backup: { state: 'ok', last_good_at: now.toISOString() } });
  });

  it('a failing backup is told to the ops channel once, again only after a recovery and a new failure; /healthz stays 200 and says so', async () => {
    const dir = scratch();
    let now = new Date('2026-11-22T14:00:00Z');
    writeFileSync(join(dir, 'blocked'), 'x');
    const b = await botWithQuotes(dir, { BACKUP_EVERY: '1h', BACKUP_DIR: join(dir, 'blocked', 'backups'), SLACK_BOT_TOKEN: '', CONSOLE: 'off' }, () => now);
    const told = () => b.services.db.prepare("SELECT payload FROM outbox WHERE kind = 'message'").all() as { payload: string }[];
    // No delivering platform here: the alert is still decided once (the state key), shown by the console platform below.
    b.services.platforms = ['console'] as never;
    await b.backups.tick();
    await b.backups.tick();
    expect(b.backups.health().state).toBe('failed');
    expect(told()).toHaveLength(1);
    expect(JSON.parse(told()[0]?.payload ?? '{}').summary).toMatch(/^Backup failed: /);
    const health = await fetch(`${b.url}/healthz`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { backup: { state: string } }).backup.state).toBe('failed');
    now = new Date(now.getTime() + H);
    await b.backups.tick();
    expect(told()).toHaveLength(1);
    // The disk is fixed: the next check backs up, and the episode is over.
    rmSync(join(dir, 'blocked'));
    await b.backups.tick();
    expect(b.backups.health().state).toBe('ok');
    // It breaks again an hour later: a new episode, told once more.
    rmSync(join(dir, 'blocked'), { recursive: true });
    writeFileSync(join(dir, 'blocked'), 'x');
    now = new Date(now.getTime() + H);
    await b.backups.tick();
    await b.backups.tick();
    expect(told()).toHaveLength(2);
  });
});

describe('npm run cli -- backup', () => {
  it('now, list, verify and restore: the restored database holds the backup\'s rows; refused while the bot runs', async () => {
    const dir = scratch();
    const env = { DATABASE_PATH: join(dir, 'ops.db'), BACKUP_DIR: join(dir, 'backups') };
    const b = await botWithQuotes(dir);
    const running = cli(['backup', 'now'], env);
    expect(running.status, running.stderr).toBe(0);
    const file = /Backed up to (\S+) /.exec(running.stdout)?.[1] ?? '';
    expect(quotesOf(file)).toHaveLength(3);
    // Restoring under a running bot is refused and changes nothing.
    const refused = cli(['backup', 'restore', file], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`The bot is running on .*ops.db \\(pid ${process.pid}\\): stop it first`));
    // More quotes after the backup, then the bot stops (the pid file goes with it).
    await fetch(`${b.url}/api/pricing/quote`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'k2p5', complexity: 'low', segment: 'smb', estimated_input: 9000, estimated_output: 800 }) });
    await b.stop();
    bot = undefined;
    expect(existsSync(pidFilePath(env.DATABASE_PATH))).toBe(false);
    expect(quotesOf(env.DATABASE_PATH)).toHaveLength(4);

    expect(cli(['backup', 'list'], env).stdout).toMatch(/manual\s+\S+ops-\d{8}T\d{6}Z-manual\.db/);
    expect(cli(['backup', 'verify', file], env).status).toBe(0);
    const restored = cli(['backup', 'restore', file], env);
    expect(restored.status, restored.stderr).toBe(0);
    expect(quotesOf(env.DATABASE_PATH)).toEqual(quotesOf(file));
    const kept = readdirSync(dir).find((f) => f.startsWith('ops.db.replaced-')) ?? '';
    expect(quotesOf(join(dir, kept))).toHaveLength(4);
    // The restored database starts and passes its checks.
    openDatabase(env.DATABASE_PATH).close();
  }, 60_000);

  it('a pid file left by a kill -9 (no such process) does not block a restore', () => {
    const dir = scratch();
    const db = join(dir, 'ops.db');
    openDatabase(db).close();
    const backup = join(dir, 'copy.db');
    new Database(db).prepare('VACUUM INTO ?').run(backup);
    writeFileSync(pidFilePath(db), '999999\n');
    const r = cli(['backup', 'restore', backup], { DATABASE_PATH: db });
    expect(r.status, r.stderr).toBe(0);
  }, 30_000);

  it.each([
    [['backup'], /backup takes: now \| list \| verify FILE \| restore FILE/],
    [['backup', 'restore'], /backup takes/],
    [['backup', 'verify', '/nonexistent.db'], /does not exist/],
  ])('refuses %j with a clear message', (args, message) => {
    const r = cli(args, { DATABASE_PATH: join(scratch(), 'ops.db') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
  }, 30_000);

  it('refuses to verify a damaged file', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'bad.db'), 'this is not SQLite at all, not a database');
    const r = cli(['backup', 'verify', join(dir, 'bad.db')], { DATABASE_PATH: join(dir, 'ops.db') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot be restored: .*not a database/);
  }, 30_000);
});

describe('a backup before every schema migration', () => {
  it('copies a database at an older schema, with its rows, before migrating it, and records it', () => {
    const dir = scratch();
    const path = join(dir, 'ops.db');
    const older = listMigrations().length - 1;
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    migrate(db, listMigrations(), older);
    db.prepare("INSERT INTO ops_state (key, value) VALUES ('before', 'the upgrade')").run();
    db.close();
    const opened = openDatabase(path, { backupDirBeforeMigration: join(dir, 'backups') });
    const [file] = readdirSync(join(dir, 'backups'));
    expect(file).toMatch(/^ops-\d{8}T\d{6}Z-migration\.db$/);
    const copy = new Database(join(dir, 'backups', file ?? ''), { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(older);
    expect(copy.prepare("SELECT value FROM ops_state WHERE key = 'before'").get()).toEqual({ value: 'the upgrade' });
    copy.close();
    expect(recentBackups(opened)).toMatchObject([{ reason: 'migration', ok: true }]);
    opened.close();
    // Up to date: the next open copies nothing.
    openDatabase(path, { backupDirBeforeMigration: join(dir, 'backups') }).close();
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(1);
  });
});
