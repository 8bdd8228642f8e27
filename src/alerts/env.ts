import type { Catalog } from '../catalog/index.js';
import type { AppConfig } from '../config.js';
import type { Platform } from '../domain/actor.js';
import type { Db } from '../store/open.js';
import type { AlertEnv } from './engine.js';

/** The alert engine's view of a command's, a schedule's or the clock's context. */
export function alertEnv(ctx: { db: Db; catalog: Catalog; config: AppConfig; platforms: readonly Platform[]; now: Date }): AlertEnv {
  return {
    db: ctx.db,
    catalog: ctx.catalog,
    timezone: ctx.config.timezone,
    ackTimeoutMinutes: ctx.config.ackTimeoutMinutes,
    platforms: ctx.platforms,
    now: ctx.now,
  };
}
