import type { Services } from '../core/services.js';
import type { Platform } from '../domain/actor.js';
import { deliverDue, type Transport } from '../outbox/deliver.js';
import { getAlert, questionSeqOfScope } from '../store/alerts.js';
import { isBusy } from '../store/busy.js';
import { getQuestion } from '../store/community.js';
import { getExceptionBySeq } from '../store/exceptions.js';
import { expireQuotes } from '../deal-desk/expiry.js';
import { escalateOverdueApprovals } from '../deal-desk/approval-deadline.js';
import { renderApprovalSubject } from '../deal-desk/approval-subject.js';
import { renderProposalReviewSubject } from '../deal-desk/proposal-subject.js';
import { renderPolicySubject } from '../policy/subject.js';
import { policyTick } from '../policy/tick.js';
import { evaluateRisk } from './engine.js';
import { alertEnv } from './env.js';
import { alertReply } from './render.js';

export interface RiskLoop {
  /** Re-evaluate risk at the clock's now, then deliver what is due. */
  tick(): Promise<void>;
  /** Deliver soon: something was just queued. */
  kick(): void;
  /** Resolves when no delivery is running or waiting. */
  idle(): Promise<void>;
  stop(): void;
}

const DELIVERY_POLL_MS = 1_000;

/**
 * The clock's side of alerting: risk moves with age, so it is re-evaluated on a tick; deadlines and
 * alerts live in the database, so the first tick after a restart catches up on whatever came due.
 */
export function startRiskLoop(services: Services, transports: ReadonlyMap<Platform, Transport>): RiskLoop {
  const { db, catalog, config, clock, log } = services;
  const renderAlert = (alertId: number) => {
    const alert = getAlert(db, alertId);
    if (!alert) return null;
    const exception = alert.exceptionSeq === null ? null : getExceptionBySeq(db, alert.exceptionSeq);
    const questionSeq = questionSeqOfScope(alert.scope);
    const question = questionSeq === null ? null : getQuestion(db, questionSeq);
    return alertReply(alert, exception, catalog.team, config.timezone, clock(), question);
  };
  // Posts about a subject render its current state; each kind of subject names its renderer here.
  const renderSubject = (subject: string) =>
    renderApprovalSubject(db, catalog.team, config.timezone, subject) ??
    renderProposalReviewSubject(db, catalog.team, config.timezone, subject) ??
    renderPolicySubject(db, catalog.team, config.timezone, subject);

  let running: Promise<void> = Promise.resolve();
  let queued = false;
  let stopped = false;
  // One delivery at a time, so no outbox row is ever in two sends at once.
  const deliver = (): Promise<void> => {
    if (queued || stopped) return running;
    queued = true;
    running = running.then(async () => {
      queued = false;
      if (stopped) return;
      try {
        await deliverDue({ db, transports, renderAlert, renderSubject, clock, log });
      } catch (error) {
        // Undelivered rows stay due, so the next poll picks them up once the lock is gone.
        if (isBusy(error)) log.warn('database busy; delivery resumes on the next poll');
        else log.error({ err: error }, 'outbox delivery failed');
      }
    });
    return running;
  };

  const tick = async () => {
    try {
      // Quote expiry rides the same tick: its deadlines are in the database, so a restart catches up.
      const expired = expireQuotes({ db, team: catalog.team, now: clock(), expiryDays: config.quoteExpiryDays, platforms: services.platforms });
      if (expired.length) log.info({ quotes: expired }, 'quotes expired');
    } catch (error) {
      if (isBusy(error)) log.warn('database busy; quotes expire on the next tick');
      else log.error({ err: error }, 'quote expiry failed');
    }
    try {
      const { raised, escalated } = evaluateRisk(alertEnv({ db, catalog, config, platforms: services.platforms, now: clock() }));
      if (raised.length || escalated.length) log.info({ raised: raised.map((a) => a.id), escalated: escalated.map((a) => a.id) }, 'risk evaluated');
    } catch (error) {
      // The evaluation is one transaction and rolled back whole; the next tick evaluates again.
      if (isBusy(error)) log.warn('database busy; risk evaluated again on the next tick');
      else log.error({ err: error }, 'risk evaluation failed');
    }
    try {
      const late = escalateOverdueApprovals({ db, team: catalog.team, platforms: services.platforms, timezone: config.timezone, now: clock() });
      if (late.length) log.info({ approvals: late.map((r) => r.id) }, 'approval requests past their response time escalated');
    } catch (error) {
      if (isBusy(error)) log.warn('database busy; approval deadlines checked again on the next tick');
      else log.error({ err: error }, 'approval deadline check failed');
    }
    try {
      // Policy switches, emergency review deadlines and validation triggers: all stored deadlines.
      const { announced, alerted } = policyTick({ db, catalog, timezone: config.timezone, platforms: services.platforms, now: clock() });
      if (announced.length || alerted.length) log.info({ announced, alerted }, 'pricing policy tick');
    } catch (error) {
      if (isBusy(error)) log.warn('database busy; the policy is checked again on the next tick');
      else log.error({ err: error }, 'pricing policy tick failed');
    }
    await deliver();
  };

  const riskTimer = setInterval(() => void tick(), config.riskTickSeconds * 1000);
  const deliveryTimer = setInterval(() => void deliver(), DELIVERY_POLL_MS);
  void tick();

  return {
    tick,
    kick: () => void deliver(),
    idle: async () => {
      await running;
    },
    stop: () => {
      stopped = true;
      clearInterval(riskTimer);
      clearInterval(deliveryTimer);
    },
  };
}
