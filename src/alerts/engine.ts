import type { Catalog } from '../catalog/index.js';
import { ackDeadline, recipientsFor } from '../domain/alert-routing.js';
import type { Platform } from '../domain/actor.js';
import { localDate } from '../domain/calendar.js';
import { holdUntil } from '../domain/slots.js';
import {
  AGING_BANDS,
  AGING_RISK_DAYS,
  CRITICAL_AGE_DAYS,
  ageDays,
  agingBand,
  exceptionRiskLevel,
  NEXT_ACTION,
  recoveryStatus,
  registryRisk,
  riskRank,
  type RegistryRisk,
  type RiskLevel,
} from '../domain/exception-risk.js';
import type { ExceptionRecord } from '../domain/exception-record.js';
import { destinationsFor } from '../domain/team.js';
import { QUESTION_NEXT_ACTION, questionRiskLevel, questionSummary } from '../domain/community.js';
import { openQuestions } from '../store/community.js';
import {
  addToReviewAgenda,
  alertsForScope,
  communityScope,
  exceptionScope,
  markEscalated,
  overdueAlerts,
  raiseAlert,
  REGISTRY_SCOPE,
  type AlertRecord,
} from '../store/alerts.js';
import { listOpenExceptions } from '../store/exceptions.js';
import type { Db } from '../store/open.js';
import { getState, setState } from '../store/ops-state.js';
import { enqueue, platformsWithAlert } from '../store/outbox.js';
import { escalationReply } from './render.js';

export interface AlertEnv {
  db: Db;
  catalog: Catalog;
  timezone: string;
  ackTimeoutMinutes: number;
  /** Platforms that deliver messages here (Slack, Discord, the console); alerts are recorded either way. */
  platforms: readonly Platform[];
  now: Date;
}

export interface Evaluation {
  registry: RegistryRisk;
  raised: AlertRecord[];
  escalated: AlertRecord[];
}

const RECOVERY_TEXT = {
  on_track: '',
  flag_repricing: `; no recovery progress by day ${AGING_RISK_DAYS}: flagged for repricing`,
  executive_review: `; no recovery progress by day ${CRITICAL_AGE_DAYS}: executive review`,
} as const;

export function exceptionSummary(e: ExceptionRecord, days: number): string {
  const band = AGING_BANDS.find((b) => b.band === agingBand(days));
  return `${e.id} ${e.account} (${e.segment}) is ${days} days old, band ${band?.band} (${band?.expectation}); owner ${e.owner}${RECOVERY_TEXT[recoveryStatus(days, e.progress.length > 0)]}`;
}

/** The highest level a scope has alerted at (-1 for never): only a rise above it alerts again. */
function highestAlertRank(db: Db, scope: string): number {
  return Math.max(-1, ...alertsForScope(db, scope).map((a) => riskRank(a.level)));
}

/** Routes a new alert (§44): records it for the digest, or queues its notifications and agenda item. */
function route(env: AlertEnv, alert: AlertRecord): void {
  const r = recipientsFor(alert.level);
  // Night operations (§31): only critical alerts page at night; the rest wait for the morning.
  const notBefore = alert.level === 'critical' ? env.now : holdUntil(env.now, env.timezone);
  for (const platform of env.platforms) {
    for (const destination of destinationsFor(env.catalog.team, platform, r.channels, r.escalatesWithoutAck)) {
      enqueue(env.db, { platform, kind: 'alert', destination, alertId: alert.id, at: env.now, notBefore });
    }
  }
  if (r.addToReviewAgenda) {
    addToReviewAgenda(env.db, {
      date: localDate(env.now, env.timezone),
      exceptionSeq: alert.exceptionSeq,
      alertId: alert.id,
      text: alert.summary,
      at: env.now,
    });
  }
}

function raise(
  env: AlertEnv,
  scope: string,
  exceptionSeq: number | null,
  level: Exclude<RiskLevel, 'none'>,
  episode: number,
  summary: string,
  recommendedAction: string = NEXT_ACTION[level],
) {
  const alert = raiseAlert(env.db, {
    scope,
    exceptionSeq,
    level,
    episode,
    summary,
    recommendedAction,
    raisedAt: env.now,
    ackDeadline: recipientsFor(level).escalatesWithoutAck ? ackDeadline(env.now, env.ackTimeoutMinutes) : null,
  });
  if (alert) route(env, alert);
  return alert;
}

/** Escalates an unacknowledged alert (its deadline passed, or the midday follow-up); false if it already was. */
export function escalate(env: AlertEnv, alert: AlertRecord): boolean {
  if (!markEscalated(env.db, alert.id, env.now)) return false;
  const escalated = { ...alert, escalatedAt: env.now };
  // Built once for every platform: each renderer writes the sponsor's mention in its own syntax.
  const payload = escalationReply(escalated, env.catalog.team, env.timezone);
  for (const platform of env.platforms) {
    for (const destination of destinationsFor(env.catalog.team, platform, ['ops'], true)) {
      enqueue(env.db, { platform, kind: 'message', destination, alertId: alert.id, payload, at: env.now });
    }
  }
  for (const platform of platformsWithAlert(env.db, alert.id)) {
    enqueue(env.db, { platform, kind: 'alert_refresh', destination: '', alertId: alert.id, at: env.now });
  }
  return true;
}

/**
 * The community's help queue (issue 6): each open question alerts once per level as its wait
 * passes the asker's SLA and twice the SLA, through the same routing as an exception.
 */
function evaluateQuestions(env: AlertEnv): AlertRecord[] {
  return openQuestions(env.db).flatMap((q) => {
    const level = questionRiskLevel(q.askedAt, env.now, q.slaMinutes);
    const scope = communityScope(q.seq);
    const highest = highestAlertRank(env.db, scope);
    if (riskRank(level) <= highest) return [];
    const alert = raise(env, scope, null, level, 0, questionSummary(q, env.now), QUESTION_NEXT_ACTION[level]);
    return alert ? [alert] : [];
  });
}

/**
 * Re-evaluates every open exception, the registry and the help queue at `now`, in one transaction: raises each
 * exception's alert once per level (a rise alerts, the same level does not), raises a registry
 * alert when the registry is worse than any one exception, and escalates criticals left
 * unacknowledged past their deadline. Runs on every change and on the clock's tick.
 */
export function evaluateRisk(env: AlertEnv): Evaluation {
  return env.db.transaction((): Evaluation => {
    const open = listOpenExceptions(env.db);
    const raised: AlertRecord[] = [];
    let worstOne = -1;
    const ages = open.map((e) => {
      const days = ageDays(e.approvedAt, env.now, env.timezone);
      const level = exceptionRiskLevel(days);
      worstOne = Math.max(worstOne, riskRank(level));
      const scope = exceptionScope(e.seq);
      const highest = highestAlertRank(env.db, scope);
      if (riskRank(level) > highest) {
        const alert = raise(env, scope, e.seq, level, 0, exceptionSummary(e, days));
        if (alert) raised.push(alert);
      }
      return days;
    });

    const registry = registryRisk(ages);
    const lastLevel = (getState(env.db, 'registry_alert_level') ?? 'none') as RiskLevel;
    const episode = Number(getState(env.db, 'registry_alert_episode') ?? '0');
    if (riskRank(registry.level) > riskRank(lastLevel)) {
      // Only when the registry is worse than every single exception, or the individual alerts already say it.
      if (registry.level !== 'none' && riskRank(registry.level) > worstOne) {
        const summary = `${registry.agingRiskCount} of ${registry.openCount} open exceptions are ${AGING_RISK_DAYS}+ days old; the oldest is ${registry.oldestAgeDays} days`;
        const alert = raise(env, REGISTRY_SCOPE, null, registry.level as Exclude<RiskLevel, 'none'>, episode, summary);
        if (alert) raised.push(alert);
      }
      setState(env.db, 'registry_alert_level', registry.level);
    } else if (riskRank(registry.level) < riskRank(lastLevel)) {
      // The registry improved: a later rise is news again.
      setState(env.db, 'registry_alert_level', registry.level);
      setState(env.db, 'registry_alert_episode', String(episode + 1));
    }

    raised.push(...evaluateQuestions(env));
    const escalated = overdueAlerts(env.db, env.now).filter((a) => escalate(env, a));
    setState(env.db, 'last_risk_evaluation', env.now.toISOString());
    return { registry, raised, escalated };
  }).immediate();
}
