import type { Readable, Writable } from 'node:stream';
import { commands } from '../commands/index.js';
import { schedules } from '../schedules/index.js';
import { resolveJobs, startScheduler } from './scheduler/runner.js';
import { startConsole } from './adapters/console/console.js';
import { consoleTransport } from './adapters/console/transport.js';
import { createApi } from './adapters/http/api.js';
import { startHttpServer } from './adapters/http/server.js';
import type { DiscordAdapter } from './adapters/discord/app.js';
import type { SlackAdapter } from './adapters/slack/app.js';
import { startRiskLoop, type RiskLoop } from './alerts/risk-loop.js';
import { loadCatalog, type Catalog } from './catalog/index.js';
import type { AppConfig, DiscordConfig, SlackConfig } from './config.js';
import { createRegistry } from './core/command.js';
import type { Services } from './core/services.js';
import type { Platform } from './domain/actor.js';
import type { Logger } from './logger.js';
import type { Transport } from './outbox/deliver.js';
import { deliveryPlatforms } from './outbox/platforms.js';
import { policyInForce, seedPolicy } from './policy/in-force.js';
import { proposeFromFile, storedPolicyFile } from './policy/from-file.js';
import { openDatabase } from './store/open.js';
import { startCheckpoints } from './store/checkpoint.js';
import { startBackups, type BackupLoop } from './backup/loop.js';
import { holdPidFile } from './store/pid-file.js';

export interface RunningBot {
  services: Services;
  url: string;
  slack?: SlackAdapter;
  discord?: DiscordAdapter;
  risk: RiskLoop;
  backups: BackupLoop;
  /** Runs every job's catch-up now, as the scheduler's tick does. */
  scheduleTick: () => void;
  stop: () => Promise<void>;
}

export interface StartOptions {
  clock?: () => Date;
  /** Tests feed interactions in directly; there is no gateway to log in to. */
  skipDiscordLogin?: boolean;
  /** Open the console on these streams. */
  console?: { input: Readable; output: Writable; banner?: (url: string) => string; onClose?: () => void };
}

/*
 * The chat SDKs are most of what the bot loads (discord.js and Bolt with their HTTP and WebSocket
 * stacks: tens of MB of heap and a few hundred ms of start-up on a Pi), so each is imported only when
 * its platform is configured. tests/adapters/lazy-sdk.test.ts keeps it so.
 */
async function loadSlack(services: Services, slack: SlackConfig): Promise<{ adapter: SlackAdapter; transport: Transport }> {
  const [{ createSlackAdapter }, { slackTransport }] = await Promise.all([import('./adapters/slack/app.js'), import('./adapters/slack/transport.js')]);
  return { adapter: createSlackAdapter(services, slack), transport: slackTransport({ token: slack.botToken, apiUrl: slack.apiUrl, log: services.log }) };
}

async function loadDiscord(services: Services, discord: DiscordConfig): Promise<{ adapter: DiscordAdapter; transport: Transport }> {
  const [{ createDiscordAdapter }, { discordTransport }] = await Promise.all([import('./adapters/discord/app.js'), import('./adapters/discord/transport.js')]);
  return { adapter: createDiscordAdapter(services, discord), transport: discordTransport({ token: discord.token, apiUrl: discord.apiUrl }) };
}

/** Wires config -> store -> registry -> adapters and the risk loop. No business rule lives here. */
export async function startBot(config: AppConfig, log: Logger, options: StartOptions = {}): Promise<RunningBot> {
  const db = openDatabase(config.databasePath, { backupDirBeforeMigration: config.backupDir });
  // Tells `npm run cli -- backup restore` that this database is in use.
  const pidFile = holdPidFile(config.databasePath);
  // A broken policy file does not stop a database that holds the policy; it is neither applied nor proposed.
  let policyFileUsable = true;
  let catalog: Catalog;
  try {
    catalog = loadCatalog(config, (error) => ((policyFileUsable = false), storedPolicyFile(db, error, log)));
  } catch (error) {
    db.close();
    pidFile.release();
    throw error;
  }
  const jobs = resolveJobs(schedules, catalog);
  const checkpoints = startCheckpoints(db, log);
  const startedAt = (options.clock ?? (() => new Date()))();
  const seeded = seedPolicy(db, catalog.policyFile, startedAt);
  if (seeded) log.info({ policy: catalog.policyFile.id }, 'pricing policy seeded from the policy file');
  const registry = createRegistry(commands, catalog);
  const platforms = deliveryPlatforms(config, options.console !== undefined);
  // An edited policy file is proposed for review, never applied; the bot starts on the version in force.
  if (!seeded && policyFileUsable) proposeFromFile({ db, catalog, config, platforms, now: startedAt }, catalog.policyFile, log.child({ file: config.pricingPolicyPath }));
  const services: Services = { registry, db, config, catalog, log, clock: options.clock ?? (() => new Date()), platforms };

  const slack = config.slack ? await loadSlack(services, config.slack) : undefined;
  const http = await startHttpServer({ host: config.host, port: config.port, api: createApi(services), slack: slack?.adapter.requestListener });
  await slack?.adapter.start();
  const discord = config.discord ? await loadDiscord(services, config.discord) : undefined;
  if (discord && !options.skipDiscordLogin) await discord.adapter.start();

  const transports = new Map<Platform, Transport>();
  if (slack) transports.set('slack', slack.transport);
  if (discord) transports.set('discord', discord.transport);
  const consoleIo = options.console;
  const console = consoleIo
    ? startConsole(services, { ...consoleIo, banner: consoleIo.banner?.(http.url) })
    : undefined;
  if (console) transports.set('console', consoleTransport(console.print, { openedAt: services.clock(), timezone: config.timezone }));
  services.adapters = new Map<string, () => boolean>([
    ['http', () => http.server.listening],
    ...(slack ? [['slack', slack.adapter.ready] as const] : []),
    ...(discord ? [['discord', () => discord.adapter.client.isReady()] as const] : []),
    ...(console ? [['console', () => true] as const] : []),
  ]);
  const risk = startRiskLoop(services, transports);
  services.notify = risk.kick;
  const scheduler = startScheduler({ db, catalog, config, platforms, log }, jobs, services.clock, risk.kick);
  const backups = startBackups(services, { dir: config.backupDir, copyDir: config.backupCopyDir, everyMs: config.backupEveryMs });
  services.backups = backups.health;

  log.info(
    { url: http.url, slack: config.slack?.mode ?? 'off', discord: config.discord ? 'gateway' : 'off', policy: policyInForce(db, catalog.policyFile, startedAt).id, models: [...catalog.rateCard.models.keys()], platforms },
    'j1msky-ops started',
  );

  return {
    services,
    url: http.url,
    slack: slack?.adapter,
    discord: discord?.adapter,
    risk,
    backups,
    scheduleTick: scheduler.tick,
    stop: async () => {
      scheduler.stop();
      await backups.stop();
      risk.stop();
      await risk.idle();
      await slack?.adapter.stop();
      await discord?.adapter.stop();
      await http.close();
      checkpoints.stop();
      db.close();
      pidFile.release();
      log.info('j1msky-ops stopped');
    },
  };
}
