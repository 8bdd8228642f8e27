import { existsSync } from 'node:fs';
import { DateTime } from 'luxon';
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    API_TOKEN: optionalText,
    DATABASE_PATH: z.string().min(1).default('data/ops.db'),
    MODELS_PATH: z.string().min(1).default('data/models.json'),
    PRICING_POLICY_PATH: z.string().min(1).default('data/pricing-policy.json'),
    TEAM_PATH: z.string().min(1).default('data/team.json'),
    SCHEDULES_PATH: z.string().min(1).default('data/schedules.json'),
    SCHEDULE_GRACE_HOURS: z.coerce.number().min(0).max(72).default(6),
    DAILY_BUDGET_USD: z.coerce.number().finite().min(0).max(1_000_000).default(25),
    ACK_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
    RISK_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FILE: z.string().min(1).default('data/ops.log'),
    OPS_TIMEZONE: z
      .string()
      .default('UTC')
      .refine((zone) => DateTime.now().setZone(zone).isValid, 'is not an IANA time zone (e.g. America/New_York)'),
    CONSOLE: z.enum(['auto', 'on', 'off']).default('auto'),
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
  modelsPath: string;
  pricingPolicyPath: string;
  teamPath: string;
  schedulesPath: string;
  scheduleGraceHours: number;
  dailyBudgetUsd: number;
  ackTimeoutMinutes: number;
  riskTickSeconds: number;
  logLevel: z.output<typeof envSchema>['LOG_LEVEL'];
  logFile: string;
  timezone: string;
  console: 'auto' | 'on' | 'off';
  slack?: SlackConfig;
  discord?: DiscordConfig;
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
    modelsPath: e.MODELS_PATH,
    pricingPolicyPath: e.PRICING_POLICY_PATH,
    teamPath: e.TEAM_PATH,
    schedulesPath: e.SCHEDULES_PATH,
    scheduleGraceHours: e.SCHEDULE_GRACE_HOURS,
    dailyBudgetUsd: e.DAILY_BUDGET_USD,
    ackTimeoutMinutes: e.ACK_TIMEOUT_MINUTES,
    riskTickSeconds: e.RISK_TICK_SECONDS,
    logLevel: e.LOG_LEVEL,
    logFile: e.LOG_FILE,
    timezone: e.OPS_TIMEZONE,
    console: e.CONSOLE,
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

/** Loads ./.env into process.env when present; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
