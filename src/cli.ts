import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { loadCatalog, type Catalog } from './catalog/index.js';
import { DataFileError } from './catalog/load-json.js';
import { backupList, backupNow, backupRestore, backupVerify } from './cli/backup.js';
import { importUsage } from './cli/usage-import.js';
import { ConfigError, loadConfig, loadDotEnv, rawEnvironment, type AppConfig } from './config.js';
import { DatabaseOpenError, openDatabase, type Db } from './store/open.js';
import { schedules } from '../schedules/index.js';
import { listSchedules, runSchedule } from './cli/schedule.js';
import { createLogger } from './logger.js';
import { resolveJobs } from './scheduler/runner.js';
import { deliveryPlatforms } from './outbox/platforms.js';
import { exportPolicy, writePolicyExport } from './policy/export.js';
import { formatLocalTime } from './domain/calendar.js';

/** A one-off command has no event loop to keep free: it waits for the bot's writes like SQLite's default. */
const CLI_DB = { busyTimeoutMs: 5_000 };

const USAGE = `usage: npm run cli -- <command>

  help
      This text.
  schedule list
      Each scheduled post with its cron, whether it is on, its next run and its last run.
  schedule run NAME [--at ISO-TIME]
      Post one slot now (default: the latest slot), through the same claim as the clock: a slot
      that already ran is not posted twice; one that failed is tried again. --at must be one of
      the job's slots (a time without an offset is read in OPS_TIMEZONE). The post is queued for
      every platform the bot delivers to (Slack, Discord; the console when it is the bot's only
      surface, printed when the console next opens), and the output says where.

  usage import FILE [--format jsonl|csv]
      Import AI usage events (JSON Lines, or CSV with a header row: task_id, model, input_tokens,
      output_tokens, and optionally event_id, cost_usd, essential, task_type, quote_id, at).
      Bad rows are reported by line number and skipped; good rows are kept. A resent event is not
      counted twice. Exit code 0: all imported; 2: imported, with bad rows; 1: nothing could be read.

  policy export [--out FILE]
      The pricing policy version in force, in data/pricing-policy.json's format (its §48 record:
      id, previous, changed_by, change_type, rationale, rollback_date; then the rules). Without
      --out only the JSON is printed, to stdout. Written over the configured PRICING_POLICY_PATH,
      the bot's next start takes the file as matching the database instead of warning that it
      changed. The database stays the source of truth: editing the file changes nothing by itself.

  setup [--check] [--yes] [--slack-bot-token T] [--slack-app-token T | --slack-signing-secret S]
        [--slack-ops-channel C] [--slack-exec-channel C] [--discord-token T] [--discord-app-id ID]
        [--discord-guild-id ID] [--discord-ops-channel C] [--console-user MEMBER]
      Asks for what is not given (flags, then the environment and .env, then a prompt), checks it
      against Slack (auth.test, a short post in each channel) and Discord (the token, the server,
      each channel), writes .env and config/team.json, and lists what is still missing. --check only
      checks; --yes never asks (for scripted installs). Exit code 1 while anything needs fixing.

  backup now
      An online backup into BACKUP_DIR (and BACKUP_COPY_DIR when set), checked before it counts.
      The bot may keep running. Exit code 2: backed up, but not copied off the card.
  backup list
      The last backups and failed attempts, newest first.
  backup verify FILE
      Whether FILE can be restored: it opens, passes quick_check, and its schema is not newer.
  backup restore FILE
      Puts FILE in the database's place. Refused while the bot runs; the database it replaces is
      kept beside it (ops.db.replaced-<time>); the restored one must pass the start-up checks.`;

/** What every CLI action works on: the bot's own config, data files and database, closed after. */
async function withStore<T>(act: (store: { config: AppConfig; catalog: Catalog; db: Db }) => T | Promise<T>): Promise<T> {
  loadDotEnv();
  const config = loadConfig();
  const catalog = loadCatalog(config);
  const db = openDatabase(config.databasePath, { ...CLI_DB, backupDirBeforeMigration: config.backupDir });
  try {
    return await act({ config, catalog, db });
  } finally {
    db.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [area, action, file, ...rest] = argv;
  // Asking for help is a success; a command we do not know is not.
  if (argv.length === 0 || area === 'help' || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (area === 'schedule' && (action === 'list' || action === 'run')) return schedule(action, file, rest);
  if (area === 'policy' && action === 'export') return policyExport(argv.slice(2));
  if (area === 'backup') return backup(action, file, rest);
  if (area === 'setup') {
    loadDotEnv();
    const { runSetup } = await import('./cli/setup.js');
    return runSetup({ argv: argv.slice(1), env: rawEnvironment(), input: process.stdin, output: process.stdout, envFile: '.env', configDir: rawEnvironment().CONFIG_DIR?.trim() || 'config' });
  }
  if (area !== 'usage' || action !== 'import' || !file) {
    process.stderr.write(`unknown command: ${argv.join(' ')}\n\n${USAGE}\n`);
    return 1;
  }
  const formatAt = rest.indexOf('--format');
  const format = (formatAt >= 0 ? rest[formatAt + 1] : extname(file).toLowerCase() === '.csv' ? 'csv' : 'jsonl') as 'jsonl' | 'csv';
  if (format !== 'jsonl' && format !== 'csv') {
    process.stderr.write(`--format must be jsonl or csv\n`);
    return 1;
  }
  let totalLines: number;
  try {
    totalLines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').length - (format === 'csv' ? 1 : 0);
  } catch (error) {
    process.stderr.write(`cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  return withStore(async ({ config, catalog, db }) => {
    // The bot delivers what this queues, to the same platforms it would queue for itself.
    const platforms = deliveryPlatforms(config);
    const s = await importUsage({ db, catalog, config, platforms }, file, { format, clock: () => new Date(), progress: process.stderr, totalLines });
    process.stdout.write(`Imported ${s.imported} of ${s.rows} rows from ${file}` + (s.duplicates ? ` (${s.duplicates} already recorded, not counted again)` : '') + `; ${s.bad.length} bad rows skipped.\n`);
    process.stdout.write(
      platforms.length
        ? `Budget signals it raised, if any, are queued for ${platforms.join(', ')}.\n`
        : 'Budget signals it raised, if any, are not queued: no platform delivers messages (no chat token, CONSOLE=off).\n',
    );
    for (const b of s.bad.slice(0, 50)) process.stdout.write(`  line ${b.line}: ${b.message}\n`);
    if (s.bad.length > 50) process.stdout.write(`  ... and ${s.bad.length - 50} more\n`);
    return s.bad.length ? 2 : 0;
  });
}

async function schedule(action: 'list' | 'run', name: string | undefined, rest: string[]): Promise<number> {
  return withStore(({ config, catalog, db }) => {
    // A failed build's details go to the bot's log file, not over the CLI's own answer.
    const env = { db, catalog, config, platforms: deliveryPlatforms(config), log: createLogger({ level: 'warn', file: config.logFile, maxBytes: config.logFileMaxBytes, keep: config.logFileKeep }) };
    const jobs = resolveJobs(schedules, catalog);
    if (action === 'list') {
      process.stdout.write(`${listSchedules(env, jobs, new Date())}\n`);
      return 0;
    }
    if (!name) {
      process.stderr.write(`${USAGE}\n`);
      return 1;
    }
    const atIndex = rest.indexOf('--at');
    const at = atIndex >= 0 ? (rest[atIndex + 1] ?? '') : undefined;
    const result = runSchedule(env, jobs, name, at, new Date());
    (result.ok ? process.stdout : process.stderr).write(`${result.message}\n`);
    return result.ok ? 0 : 1;
  });
}

const io = { out: (s: string) => void process.stdout.write(s), err: (s: string) => void process.stderr.write(s) };

async function backup(action: string | undefined, file: string | undefined, rest: string[]): Promise<number> {
  const needsFile = action === 'verify' || action === 'restore';
  if (!action || !['now', 'list', 'verify', 'restore'].includes(action) || (needsFile ? !file || rest.length > 0 : file !== undefined)) {
    process.stderr.write(`backup takes: now | list | verify FILE | restore FILE\n\n${USAGE}\n`);
    return 1;
  }
  if (action === 'verify') return backupVerify(file ?? '', io);
  if (action === 'restore') {
    // The database being replaced may be the damaged one: it is not opened through withStore.
    loadDotEnv();
    return backupRestore(loadConfig(), file ?? '', io);
  }
  return withStore((store) => (action === 'now' ? backupNow(store, io) : backupList(store, io)));
}

async function policyExport(args: string[]): Promise<number> {
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1] : undefined;
  const stray = outAt >= 0 ? args.filter((_, i) => i !== outAt && i !== outAt + 1) : args;
  if ((outAt >= 0 && (!out || out.startsWith('--'))) || stray.length) {
    process.stderr.write(`policy export takes only --out FILE\n\n${USAGE}\n`);
    return 1;
  }
  return withStore(({ config, catalog, db }) => {
    const now = new Date();
    const exported = exportPolicy(db, catalog.policyFile, now);
    if (!out) {
      process.stdout.write(exported.text);
      return 0;
    }
    writePolicyExport(db, exported, out, config.pricingPolicyPath);
    const since = exported.version.effectiveAt ? formatLocalTime(exported.version.effectiveAt, config.timezone) : 'its seeding';
    process.stdout.write(`Wrote ${exported.version.id} (in force since ${exported.version.kind === 'seed' ? 'the database was seeded' : since}) to ${out}.\n`);
    return 0;
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof DataFileError || error instanceof DatabaseOpenError;
    process.stderr.write(`${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`);
    process.exit(1);
  },
);
