import type { CommandContext } from '../core/command.js';
import type { AlertEnv } from './engine.js';

export function alertEnv(ctx: CommandContext): AlertEnv {
  return {
    db: ctx.db,
    catalog: ctx.catalog,
    timezone: ctx.config.timezone,
    ackTimeoutMinutes: ctx.config.ackTimeoutMinutes,
    platforms: ctx.platforms,
    now: ctx.now,
  };
}
