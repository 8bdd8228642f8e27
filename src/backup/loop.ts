import { backupDue, backupHealth, type BackupHealth } from '../domain/backup-rules.js';
import { formatLocalTime } from '../domain/calendar.js';
import type { Services } from '../core/services.js';
import { destinationsOn } from '../outbox/platforms.js';
import { reply, text, type Reply } from '../reply/reply.js';
import { latestBackups } from '../store/backups.js';
import { isBusy } from '../store/busy.js';
import { deleteStatePrefix, getState, setState } from '../store/ops-state.js';
import { enqueue } from '../store/outbox.js';
import { takeBackup, type BackupSettings } from './take.js';

/** How often the bot looks whether a backup is due: the schedule is the backups table, not a timer. */
export const BACKUP_CHECK_MS = 60_000;
const ALERTED = 'backup_alerted';

export interface BackupLoop {
  /** Backs up if one is due, then tells the ops channel once if backups are failing or stale. */
  tick: () => Promise<void>;
  health: () => BackupHealth;
  stop: () => Promise<void>;
}

/**
 * Hourly (BACKUP_EVERY) backups that survive a reboot: each check asks the table when the last good
 * one finished, so a Pi that was off past its hour backs up once on the first check, never twice.
 */
export function startBackups(services: Services, settings: BackupSettings & { everyMs: number | null }): BackupLoop {
  const { db, clock, log } = services;
  const startedAt = clock();
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const health = (): BackupHealth => {
    const { good, failed } = latestBackups(db);
    return backupHealth(
      { lastGoodAt: good?.finishedAt ?? null, lastFailed: failed ? { at: failed.finishedAt, error: failed.error ?? 'unknown error' } : null, everyMs: settings.everyMs, startedAt },
      clock(),
    );
  };

  const tellOnce = (h: BackupHealth) => {
    if (h.state !== 'failed' && h.state !== 'stale') {
      if (getState(db, ALERTED) !== undefined) deleteStatePrefix(db, ALERTED);
      return;
    }
    // One message per episode: a new failure after a recovery is a new episode.
    const episode = `${h.state}:${h.lastGoodAt?.toISOString() ?? 'never'}`;
    if (getState(db, ALERTED) === episode) return;
    const payload = backupAlert(h, services.config.timezone, settings);
    db.transaction(() => {
      for (const d of destinationsOn(services.catalog.team, services.platforms, ['ops'])) enqueue(db, { ...d, kind: 'message', payload, at: clock() });
      setState(db, ALERTED, episode);
    })();
    services.notify?.();
  };

  const tick = () => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        const { good } = latestBackups(db);
        if (backupDue(good?.finishedAt ?? null, clock(), settings.everyMs)) await takeBackup(db, settings, 'schedule', clock, log);
        tellOnce(health());
      } catch (error) {
        if (isBusy(error)) log.warn('database busy; backups checked again on the next tick');
        else log.error({ err: error }, 'backup check failed');
      }
    });
    return running;
  };

  const timer = setInterval(() => void tick(), BACKUP_CHECK_MS);
  timer.unref();
  return {
    tick,
    health,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** The ops channel's message: what is wrong, since when, and what to check. */
export function backupAlert(h: Extract<BackupHealth, { state: 'failed' | 'stale' }>, timezone: string, settings: BackupSettings): Reply {
  const last = h.lastGoodAt ? `the last good one is from ${formatLocalTime(h.lastGoodAt, timezone)}` : 'there is no good backup yet';
  const summary = h.state === 'failed' ? `Backup failed: ${h.error}` : `Backups are overdue: ${last}`;
  return reply(summary, [
    text(`**${summary}**`),
    text(`${h.state === 'failed' ? `${last[0]?.toUpperCase()}${last.slice(1)}. ` : ''}Backups go to ${settings.dir}${settings.copyDir ? ` and ${settings.copyDir}` : ''}. Check the disk space and the mount, then \`npm run cli -- backup now\`.`),
  ], 'channel');
}
