import type { Db } from './open.js';
import { stmt } from './statements.js';

/** A season as the calendar sees it: its start version, its name, its window and whether it is a promotion. */
export interface SeasonRecord {
  id: string;
  name: string;
  promotion: boolean;
  state: 'proposed' | 'approved' | 'rejected' | 'cancelled';
  startsAt: Date;
  endsAt: Date;
  /** The season_end version, once the season is approved. */
  endId: string | null;
}

interface Row {
  id: string;
  name: string;
  promotion: number;
  state: SeasonRecord['state'];
  effective_at: string;
  ends_at: string;
  pair_id: string | null;
}

const fromRow = (r: Row): SeasonRecord => ({
  id: r.id, name: r.name, promotion: r.promotion === 1, state: r.state, startsAt: new Date(r.effective_at), endsAt: new Date(r.ends_at), endId: r.pair_id,
});

const SELECT = `SELECT v.id, s.name, s.promotion, v.state, v.effective_at, v.ends_at, v.pair_id
  FROM policy_seasons s JOIN policy_versions v ON v.id = s.start_id`;

/** Records a season's name and promotion flag beside its season_start version (same transaction). */
export function insertSeason(db: Db, s: { startId: string; name: string; promotion: boolean }): void {
  stmt(db, 'INSERT INTO policy_seasons (start_id, name, promotion) VALUES (?, ?, ?)').run(s.startId, s.name, s.promotion ? 1 : 0);
}

export function getSeason(db: Db, startId: string): SeasonRecord | undefined {
  const row = stmt<[string], Row>(db, `${SELECT} WHERE s.start_id = ?`).get(startId);
  return row ? fromRow(row) : undefined;
}

/**
 * Seasons proposed or approved whose window ends after `from`: the calendar a new season must not
 * overlap. A few rows a year, read only when a season is proposed, so no index of its own.
 */
export function liveSeasonsAfter(db: Db, from: Date): SeasonRecord[] {
  return stmt<[string], Row>(db, `${SELECT} WHERE v.state IN ('proposed', 'approved') AND v.ends_at > ? ORDER BY v.effective_at`)
    .all(from.toISOString())
    .map(fromRow);
}

// The start and end of a season point at each other.
/** Links a season_start to its season_end. Only once: false when the start already has its end. */
export function setSeasonPair(db: Db, startId: string, endId: string): boolean {
  return stmt(db, "UPDATE policy_versions SET pair_id = ? WHERE id = ? AND kind = 'season_start' AND pair_id IS NULL").run(endId, startId).changes === 1;
}
