import type { Catalog } from '../catalog/index.js';
import type { AppConfig } from '../config.js';
import type { Platform } from '../domain/actor.js';
import type { ChannelPurpose } from '../domain/team.js';
import type { Reply } from '../reply/reply.js';
import type { Db } from '../store/open.js';

export interface ScheduleContext {
  db: Db;
  catalog: Catalog;
  config: AppConfig;
  /** When the post is built (after a restart, later than its slot). */
  now: Date;
  /** The slot being posted. */
  slot: Date;
  /** Platforms that deliver here: posts that page or escalate queue for each. */
  platforms: readonly Platform[];
}

/** One scheduled post: a file in schedules/, returning a platform-neutral reply. */
export interface ScheduleDef {
  name: string;
  title: string;
  /** Five-field cron in OPS_TIMEZONE; data/schedules.json may change it or turn the post off. */
  cron: string;
  /** The channel it posts in, by purpose; the ops channel unless it says otherwise. */
  channel?: ChannelPurpose;
  build: (ctx: ScheduleContext) => Reply;
}

export function defineSchedule(def: ScheduleDef): ScheduleDef {
  return def;
}
