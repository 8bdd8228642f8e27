import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { parseBackupEvery } from './domain/backup-rules.js';
import { DEFAULT_QUOTE_EXPIRY_DAYS } from './domain/quote-life.js';

/** Blank optional secrets and URLs (a copied .env.example) mean "not set". */
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/**
 * A variable with a default. Left out, the default applies; set but blank (`PORT=`) is refused by
 * name, because a blank read as 0 meant a random port or a $0 budget that paused everything.
 */
function withDefault<T extends z.ZodType<unknown, string>>(schema: T, fallback: string) {
  return z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      if (v !== undefined && v.trim() === '') {
        ctx.addIssue({ code: 'custom', message: `is blank: give a value, or remove the line to use the default (${fallback})` });
      }
    })
    .transform((v) => (v === undefined ? fallback : v.trim()))
    .pipe(schema);
}

/** A number written as digits, not whatever Number() makes of it ("0x10", "1e3", " "). */
const numeric = (schema: z.ZodNumber) =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number written in digits')
    .transform(Number)
    .pipe(schema);
const envNumber = (schema: z.ZodNumber, fallback: number) => withDefault(numeric(schema), String(fallback));
const envText = (fallback: string) => withDefault(z.string(), fallback);

// Headers carry printable ASCII; a token outside it could never be sent, so it is refused at start.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(\.\d{1,3}){3})$/i;
export const isLoopback = (host: string) => LOOPBACK.test(host.trim());

export const envSchema = z
  .object({
    PORT: envNumber(z.number().int().min(0).max(65535), 3000),
    HOST: envText('127.0.0.1'),
    API_TOKEN: optionalText.pipe(
      z.string().regex(PRINTABLE_ASCII, 'may only hold printable ASCII characters (letters, digits, spaces and punctuation such as @!#$%)').optional(),
    ),
    DATABASE_PATH: envText('data/ops.db'),
    CONFIG_DIR: envText('config'),
    MODELS_PATH: optionalText,
    PRICING_POLICY_PATH: optionalText,
    TEAM_PATH: optionalText,
    SCHEDULES_PATH: optionalText,
    SCHEDULE_GRACE_HOURS: envNumber(z.number().min(0).max(72), 6),
    DAILY_BUDGET_USD: envNumber(z.number().finite().min(0).max(1_000_000), 25),
    ACK_TIMEOUT_MINUTES: envNumber(z.number().int().min(1).max(1440), 30),
    RISK_TICK_SECONDS: envNumber(z.number().int().min(1).max(3600), 60),
    QUOTE_EXPIRY_DAYS: envNumber(z.number().int().min(1).max(365), DEFAULT_QUOTE_EXPIRY_DAYS),
    LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
    LOG_FILE: envText('data/ops.log'),
    LOG_FILE_MAX_MB: envNumber(z.number().min(1).max(1024), 10),
    LOG_FILE_KEEP: envNumber(z.number().int().min(1).max(100), 5),
    OPS_TIMEZONE: withDefault(
      z.string().refine((zone) => DateTime.now().setZone(zone).isValid, 'is not an IANA time zone (e.g. America/New_York)'),
      'UTC',
    ),
    CONSOLE: withDefault(z.enum(['auto', 'on', 'off']), 'auto'),
    BACKUP_EVERY: withDefault(
      z.string().transform((v, ctx) => {
        try {
          return parseBackupEvery(v);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
      '1h',
    ),
    BACKUP_DIR: envText('data/backups'),
    BACKUP_COPY_DIR: optionalText,
    SLACK_BOT_TOKEN: optionalText,
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText,
    SLACK_API_URL: optionalText.pipe(z.url().optional()),
    DISCORD_TOKEN: optionalText,
    DISCORD_APP_ID: optionalText,
    DISCORD_GUILD_ID: optionalText,
    DISCORD_API_URL: optionalText.pipe(z.url().optional()),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is required when SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN (HTTP mode verifies every request)',
      });
    }
    if (env.DISCORD_TOKEN && !env.DISCORD_APP_ID) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_APP_ID'], message: 'is required when DISCORD_TOKEN is set (the application id, for slash commands)' });
    }
    // An open API on the network lets anyone who can reach the port record quotes and exceptions.
    // A token is one line in .env, so there is no switch to run without one off loopback.
    if (!isLoopback(env.HOST) && !env.API_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['API_TOKEN'],
        message: `is required when HOST (${env.HOST}) is not a loopback address (127.0.0.1, ::1, localhost): without it anyone who can reach the port can record quotes and exceptions. Set API_TOKEN, or keep HOST=127.0.0.1 behind a proxy`,
      });
    }
    if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required when SLACK_APP_TOKEN is set' });
    }
  });

export interface SlackConfig {
  botToken: string;
  mode: 'socket' | 'http';
  appToken?: string;
  signingSecret?: string;
  apiUrl?: string;
}

export interface DiscordConfig {
  token: string;
  appId: string;
  guildId?: string;
  apiUrl?: string;
}

export interface AppConfig {
  port: number;
  host: string;
  apiToken?: string;
  databasePath: string;
  /** The team's own settings (untracked); see settingsFile. */
  configDir: string;
  modelsPath: string;
  pricingPolicyPath: string;
  teamPath: string;
  schedulesPath: string;
  scheduleGraceHours: number;
  dailyBudgetUsd: number;
  ackTimeoutMinutes: number;
  riskTickSeconds: number;
  /** Days an unsent or unanswered quote stays open before it expires. */
  quoteExpiryDays: number;
  logLevel: z.output<typeof envSchema>['LOG_LEVEL'];
  logFile: string;
  /** LOG_FILE rolls at this size, keeping this many old files. */
  logFileMaxBytes: number;
  logFileKeep: number;
  timezone: string;
  console: 'auto' | 'on' | 'off';
  /** How often the running bot backs up; null when BACKUP_EVERY=off. */
  backupEveryMs: number | null;
  backupDir: string;
  /** A second copy off the SD card (a USB stick, a NAS mount), when set. */
  backupCopyDir?: string;
  slack?: SlackConfig;
  discord?: DiscordConfig;
}

/** Where the tracked defaults live: read only when the team has no copy of its own. */
export const DEFAULTS_DIR = 'data';

/**
 * A settings file: the explicit path when one is set, else the team's own copy in CONFIG_DIR when it
 * exists, else the tracked default. The team's copies sit in an untracked directory, so `git pull`
 * and upgrades never overwrite or conflict with them.
 */
export function settingsFile(explicit: string | undefined, configDir: string, file: string): string {
  if (explicit) return explicit;
  const own = join(configDir, file);
  return existsSync(own) ? own : join(DEFAULTS_DIR, file);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the environment once, at start. Every bad variable is named in one message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`The environment is not valid (see .env.example):\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    apiToken: e.API_TOKEN,
    databasePath: e.DATABASE_PATH,
    configDir: e.CONFIG_DIR,
    modelsPath: settingsFile(e.MODELS_PATH, e.CONFIG_DIR, 'models.json'),
    pricingPolicyPath: settingsFile(e.PRICING_POLICY_PATH, e.CONFIG_DIR, 'pricing-policy.json'),
    teamPath: settingsFile(e.TEAM_PATH, e.CONFIG_DIR, 'team.json'),
    schedulesPath: settingsFile(e.SCHEDULES_PATH, e.CONFIG_DIR, 'schedules.json'),
    scheduleGraceHours: e.SCHEDULE_GRACE_HOURS,
    dailyBudgetUsd: e.DAILY_BUDGET_USD,
    ackTimeoutMinutes: e.ACK_TIMEOUT_MINUTES,
    riskTickSeconds: e.RISK_TICK_SECONDS,
    quoteExpiryDays: e.QUOTE_EXPIRY_DAYS,
    logLevel: e.LOG_LEVEL,
    logFile: e.LOG_FILE,
    logFileMaxBytes: e.LOG_FILE_MAX_MB * 1024 * 1024,
    logFileKeep: e.LOG_FILE_KEEP,
    timezone: e.OPS_TIMEZONE,
    console: e.CONSOLE,
    backupEveryMs: e.BACKUP_EVERY,
    backupDir: e.BACKUP_DIR,
    backupCopyDir: e.BACKUP_COPY_DIR,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
          appToken: e.SLACK_APP_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          apiUrl: e.SLACK_API_URL,
        }
      : undefined,
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APP_ID
        ? { token: e.DISCORD_TOKEN, appId: e.DISCORD_APP_ID, guildId: e.DISCORD_GUILD_ID, apiUrl: e.DISCORD_API_URL }
        : undefined,
  };
}

/**
 * The raw environment, for the one tool that works on a configuration that is not valid yet (the
 * setup wizard): everything else reads it through loadConfig.
 */
export function rawEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}

/** Loads ./.env into process.env when present; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
