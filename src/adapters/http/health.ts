import type { BackupHealth } from '../../domain/backup-rules.js';
import { Hono } from 'hono';
import type { Services } from '../../core/services.js';
import { isBusy } from '../../store/busy.js';
import { probeWrite, type Db } from '../../store/open.js';

export interface HealthCheck {
  ok: boolean;
  detail: string;
}

/** Takes the write lock for an instant (with the short busy timeout), so "up" means a write would work now. */
function databaseCheck(db: Db): HealthCheck {
  if (db.inTransaction) return { ok: true, detail: 'writable (a write is under way)' };
  try {
    probeWrite(db);
    return { ok: true, detail: 'writable' };
  } catch (error) {
    if (isBusy(error)) return { ok: false, detail: 'busy: another connection holds the write lock' };
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

function backupView(h: BackupHealth): Record<string, string | null> {
  if (h.state === 'off' || h.state === 'pending') return { state: h.state };
  if (h.state === 'failed') return { state: h.state, last_good_at: h.lastGoodAt?.toISOString() ?? null, error: h.error };
  return { state: h.state, last_good_at: h.lastGoodAt?.toISOString() ?? null };
}

/**
 * GET /healthz for systemd and monitoring: no token, no command, no row written. 200 when the
 * database takes a write and every adapter this process started is up, 503 otherwise; the body
 * says which check failed.
 */
export function healthRoutes(services: Pick<Services, 'db' | 'adapters' | 'backups'>): Hono {
  const health = new Hono();
  health.get('/healthz', (c) => {
    const checks: Record<string, HealthCheck> = { database: databaseCheck(services.db) };
    for (const [name, up] of services.adapters ?? []) checks[name] = up() ? { ok: true, detail: 'up' } : { ok: false, detail: 'down' };
    const ok = Object.values(checks).every((check) => check.ok);
    c.header('cache-control', 'no-store');
    // Backups are reported, not gated on: a full USB stick must not make systemd or update.sh think
    // the bot itself is down; the ops channel is told instead (src/backup/loop.ts).
    const backup = services.backups?.();
    return c.json({ status: ok ? 'ok' : 'unavailable', checks, ...(backup ? { backup: backupView(backup) } : {}) }, ok ? 200 : 503);
  });
  return health;
}
