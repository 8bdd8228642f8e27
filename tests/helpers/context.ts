import { pino } from 'pino';
import { commands } from '../../commands/index.js';
import { createRegistry, type CommandContext } from '../../src/core/command.js';
import { dispatchCommand } from '../../src/core/dispatch.js';
import { loadConfig, type AppConfig } from '../../src/config.js';
import type { Actor } from '../../src/domain/actor.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { fixtureEnv, seedCatalog } from './seed.js';

export const silentLog = pino({ level: 'silent' });

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ DATABASE_PATH: ':memory:', OPS_TIMEZONE: 'America/New_York', ...fixtureEnv, ...env });
}

export const alice: Actor = { platform: 'console', userId: 'U_ALICE', name: 'Alice', role: 'sales_rep' };

/** A fresh in-memory database and everything a handler needs, with a fixed clock. */
export function testBed(options: { now?: Date; config?: AppConfig; db?: Db } = {}) {
  const config = options.config ?? testConfig();
  const db = options.db ?? openDatabase(':memory:');
  const registry = createRegistry(commands, seedCatalog);
  let now = options.now ?? new Date('2026-11-22T14:00:00Z');
  const ctx = (over: Partial<CommandContext> = {}): CommandContext => ({
    actor: alice,
    surface: 'console',
    db,
    now,
    log: silentLog,
    config,
    catalog: seedCatalog,
    platforms: [],
    ...over,
  });
  /** Types a line as a person would: "/exceptions add ...", with Slack delivering what it queues. */
  const run = (line: string, over: Partial<CommandContext> = {}) => {
    const [name = '', ...rest] = line.replace(/^\//, '').split(' ');
    return dispatchCommand(registry, name, { text: rest.join(' ') }, ctx({ platforms: ['slack'], ...over }));
  };
  return {
    db,
    config,
    registry,
    ctx,
    run,
    setNow: (d: Date) => {
      now = d;
    },
    count: (table = 'quotes') => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
  };
}
