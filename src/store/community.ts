import { slaMinutes, type Plan } from '../domain/community.js';
import type { Db } from './open.js';
import { stmt } from './statements.js';

export type QuestionStatus = 'open' | 'answered' | 'closed';

export interface QuestionRecord {
  seq: number;
  /** CQ-00001: how people refer to a question in commands. */
  ref: string;
  messageId: string;
  guildId: string;
  channelId: string;
  askerId: string;
  askerName: string;
  plan: Plan;
  slaMinutes: number;
  askedAt: Date;
  status: QuestionStatus;
  firstAnswerAt: Date | null;
  firstAnswerByName: string | null;
  closedAt: Date | null;
  closedByName: string | null;
  closeReason: string | null;
}

interface QuestionRow {
  seq: number;
  message_id: string;
  guild_id: string;
  channel_id: string;
  asker_id: string;
  asker_name: string;
  plan: Plan;
  sla_minutes: number;
  asked_at: string;
  status: QuestionStatus;
  first_answer_at: string | null;
  first_answer_by_name: string | null;
  closed_at: string | null;
  closed_by_name: string | null;
  close_reason: string | null;
}

export const questionRef = (seq: number) => `CQ-${String(seq).padStart(5, '0')}`;

/** "CQ-00003", "cq-3" or "3"; null when it is none of those. */
export function parseQuestionRef(ref: string): number | null {
  const m = /^(?:cq-?)?0*(\d{1,9})$/i.exec(ref.trim());
  return m ? Number(m[1]) : null;
}

const date = (s: string | null) => (s ? new Date(s) : null);

function fromRow(r: QuestionRow): QuestionRecord {
  return {
    seq: r.seq,
    ref: questionRef(r.seq),
    messageId: r.message_id,
    guildId: r.guild_id,
    channelId: r.channel_id,
    askerId: r.asker_id,
    askerName: r.asker_name,
    plan: r.plan,
    slaMinutes: r.sla_minutes,
    askedAt: new Date(r.asked_at),
    status: r.status,
    firstAnswerAt: date(r.first_answer_at),
    firstAnswerByName: r.first_answer_by_name,
    closedAt: date(r.closed_at),
    closedByName: r.closed_by_name,
    closeReason: r.close_reason,
  };
}

/**
 * Records a question once: the gateway replays events after a reconnect, and a replay finds the
 * row already there. The SLA is fixed when the question is asked, so a later plan change does not
 * move a deadline that has already run.
 */
export function recordQuestion(
  db: Db,
  q: { messageId: string; guildId: string; channelId: string; askerId: string; askerName: string; plan: Plan; askedAt: Date },
  now: Date,
): QuestionRecord | null {
  const row = stmt<unknown[], QuestionRow>(
    db,
    `INSERT INTO community_questions (message_id, guild_id, channel_id, asker_id, asker_name, plan, sla_minutes, asked_at, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING RETURNING *`,
  ).get(q.messageId, q.guildId, q.channelId, q.askerId, q.askerName, q.plan, slaMinutes(q.plan), q.askedAt.toISOString(), now.toISOString());
  return row ? fromRow(row) : null;
}

/** The first team answer wins; later ones, and answers to questions not open, change nothing. */
export function recordFirstAnswer(db: Db, messageId: string, a: { byId: string; byName: string; at: Date }): QuestionRecord | null {
  const row = stmt<unknown[], QuestionRow>(
    db,
    `UPDATE community_questions SET status = 'answered', first_answer_at = ?, first_answer_by_id = ?, first_answer_by_name = ?
     WHERE message_id = ? AND status = 'open' RETURNING *`,
  ).get(a.at.toISOString(), a.byId, a.byName, messageId);
  return row ? fromRow(row) : null;
}

/** Closes an open question without an answer: deleted by its author, or closed by a manager. */
export function closeQuestion(db: Db, seq: number, c: { byName: string; reason: string; at: Date }): QuestionRecord | null {
  const row = stmt<unknown[], QuestionRow>(
    db,
    `UPDATE community_questions SET status = 'closed', closed_at = ?, closed_by_name = ?, close_reason = ?
     WHERE seq = ? AND status = 'open' RETURNING *`,
  ).get(c.at.toISOString(), c.byName, c.reason, seq);
  return row ? fromRow(row) : null;
}

export function getQuestion(db: Db, seq: number): QuestionRecord | null {
  const row = stmt<[number], QuestionRow>(db, 'SELECT * FROM community_questions WHERE seq = ?').get(seq);
  return row ? fromRow(row) : null;
}

export function getQuestionByMessage(db: Db, messageId: string): QuestionRecord | null {
  const row = stmt<[string], QuestionRow>(db, 'SELECT * FROM community_questions WHERE message_id = ?').get(messageId);
  return row ? fromRow(row) : null;
}

/** Open questions, the longest-waiting first. */
export function openQuestions(db: Db): QuestionRecord[] {
  return stmt<[], QuestionRow>(db, "SELECT * FROM community_questions WHERE status = 'open' ORDER BY asked_at, seq").all().map(fromRow);
}

/** Questions asked in [from, to), answered or not. */
export function questionsAskedBetween(db: Db, from: Date, to: Date): QuestionRecord[] {
  return stmt<[string, string], QuestionRow>(db, 'SELECT * FROM community_questions WHERE asked_at >= ? AND asked_at < ? ORDER BY asked_at, seq')
    .all(from.toISOString(), to.toISOString())
    .map(fromRow);
}
