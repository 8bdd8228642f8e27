import { monthRange } from '../domain/calendar.js';
import { communityStats } from '../domain/community.js';
import type { Db } from '../store/open.js';
import { questionsAskedBetween } from '../store/community.js';
import { statsBlocks } from './view.js';

/** The help queue's figures for one calendar month in the ops time zone; null for a bad month. */
export function monthOfQuestions(db: Db, month: string, timezone: string) {
  const range = monthRange(month, timezone);
  if (!range) return null;
  const asked = questionsAskedBetween(db, range.from, range.to);
  const stats = communityStats(asked);
  return statsBlocks(month, stats, asked.filter((q) => q.status === 'open').length, asked.filter((q) => q.status === 'closed').length);
}
