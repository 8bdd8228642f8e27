import type { BackupHealth } from '../domain/backup-rules.js';
import type { Catalog } from '../catalog/index.js';
import type { AppConfig } from '../config.js';
import type { Actor, Platform } from '../domain/actor.js';
import type { Logger } from '../logger.js';
import type { Db } from '../store/open.js';
import type { CommandContext, Registry, Surface } from './command.js';

/** What every adapter is handed by the composition root. */
export interface Services {
  registry: Registry;
  db: Db;
  config: AppConfig;
  catalog: Catalog;
  log: Logger;
  clock: () => Date;
  /** Platforms that deliver outgoing messages in this process. */
  platforms: readonly Platform[];
  /** Wakes the outbox after a command queued something. */
  notify?: () => void;
  /** Whether each adapter this process started is up, for GET /healthz; set once they are started. */
  adapters?: ReadonlyMap<string, () => boolean>;
  /** How the built-in backups stand, for GET /healthz; absent where this process takes none. */
  backups?: () => BackupHealth;
}

export function commandContext(
  services: Services,
  actor: Actor,
  surface: Surface,
  extra: { idempotencyKey?: string; requestId?: string; command?: string } = {},
): CommandContext {
  return {
    actor,
    surface,
    db: services.db,
    now: services.clock(),
    config: services.config,
    catalog: services.catalog,
    log: services.log.child({ platform: actor.platform, user: actor.userId, command: extra.command, req: extra.requestId }),
    idempotencyKey: extra.idempotencyKey,
    platforms: services.platforms,
    notify: services.notify,
  };
}
