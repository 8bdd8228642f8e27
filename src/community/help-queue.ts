import { evaluateRisk, type AlertEnv } from '../alerts/engine.js';
import { formatLocalTime } from '../domain/calendar.js';
import type { HelpEvent } from '../domain/community.js';
import { communityScope, resolveAlerts } from '../store/alerts.js';
import { closeQuestion, getQuestionByMessage, recordFirstAnswer, recordQuestion, type QuestionRecord } from '../store/community.js';
import { enqueue, platformsWithAlert } from '../store/outbox.js';

export type HelpOutcome =
  | { kind: 'question'; question: QuestionRecord }
  | { kind: 'answered'; question: QuestionRecord }
  | { kind: 'closed'; question: QuestionRecord }
  | { kind: 'unchanged'; why: string };

/** Every posted copy of the question's alerts now says how it ended, and none of them escalates. */
function resolveQuestionAlerts(env: AlertEnv, q: QuestionRecord, resolution: string): void {
  for (const alertId of resolveAlerts(env.db, communityScope(q.seq), resolution, env.now)) {
    for (const platform of platformsWithAlert(env.db, alertId)) {
      enqueue(env.db, { platform, kind: 'alert_refresh', destination: '', alertId, at: env.now });
    }
  }
}

/**
 * Applies one help-channel event: a new question is recorded and evaluated at once (so it is in
 * the digest from the start); a first team answer stops the clock and settles its alerts. A batch
 * read back after a restart evaluates once at its end, so a question answered later in the same
 * batch is not alerted on first.
 */
export function applyHelpEvent(env: AlertEnv, event: HelpEvent, guildId: string, options: { evaluate?: boolean } = {}): HelpOutcome {
  // Most messages in a server are not about the help queue: they take no write lock at all.
  if (event.kind === 'ignore') return { kind: 'unchanged', why: event.why };
  return env.db.transaction((): HelpOutcome => {
    switch (event.kind) {
      case 'question': {
        const question = recordQuestion(env.db, { messageId: event.questionId, guildId, channelId: event.channelId, askerId: event.askerId, askerName: event.askerName, plan: event.plan, askedAt: event.askedAt }, env.now);
        if (!question) return { kind: 'unchanged', why: 'already recorded' };
        if (options.evaluate !== false) evaluateRisk(env);
        return { kind: 'question', question };
      }
      case 'answer': {
        const question = recordFirstAnswer(env.db, event.questionId, { byId: event.answererId, byName: event.answererName, at: event.answeredAt });
        if (!question) return { kind: 'unchanged', why: 'not an open question' };
        resolveQuestionAlerts(env, question, `answered by ${event.answererName} at ${formatLocalTime(event.answeredAt, env.timezone)}`);
        return { kind: 'answered', question };
      }
    }
  }).immediate();
}

/** Closes an open question without an answer (deleted by its author, or closed by a manager). */
export function closeOpenQuestion(env: AlertEnv, seq: number, by: string, reason: string): QuestionRecord | null {
  return env.db.transaction(() => {
    const question = closeQuestion(env.db, seq, { byName: by, reason, at: env.now });
    if (question) resolveQuestionAlerts(env, question, `closed by ${by}: ${reason}`);
    return question;
  }).immediate();
}

/** A deleted message or thread closes the question it opened, if it was one and still open. */
export function questionDeleted(env: AlertEnv, messageId: string): QuestionRecord | null {
  const q = getQuestionByMessage(env.db, messageId);
  return q && q.status === 'open' ? closeOpenQuestion(env, q.seq, q.askerName, 'deleted in Discord') : null;
}
