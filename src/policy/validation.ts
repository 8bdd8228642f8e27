import { VALIDATED_KINDS, VALIDATION_WINDOW_MS, validateChange, type TriggerReason, type Validation } from '../domain/policy-validation.js';
import type { PolicyVersion } from '../domain/policy-version.js';
import type { Db } from '../store/open.js';
import { quotesBetweenForValidation, quotesUnderVersion } from '../store/policy-quotes.js';
import { versionsEffectiveBetween } from '../store/policy-version-rollback.js';
import { policyAlertRaisedAt, policyAlertSubject, raisePolicyAlert } from './alert.js';
import type { PolicyTickEnv } from './tick.js';

/**
 * A version's validation as of `at`: the week before it against the quotes priced under it up to
 * `at`. Quotes never change their time, version, margin or decision, so the same `at` gives the same
 * figures: an alert renders them again from its raise time, and they match what raised it.
 */
export function validateVersion(db: Db, v: PolicyVersion, at: Date): Validation | null {
  if (!v.effectiveAt) return null;
  const eff = v.effectiveAt;
  const end = new Date(Math.min(at.getTime(), eff.getTime() + VALIDATION_WINDOW_MS));
  return validateChange({
    effectiveAt: eff,
    expectedMargin: v.expectedMargin,
    before: quotesBetweenForValidation(db, new Date(eff.getTime() - VALIDATION_WINDOW_MS), eff),
    after: quotesUnderVersion(db, v.id, eff, end),
    now: at,
  });
}

/** The changes still watched at `now`: in force for less than a week, of a kind people propose. */
export function versionsUnderValidation(db: Db, now: Date): PolicyVersion[] {
  return versionsEffectiveBetween(db, new Date(now.getTime() - VALIDATION_WINDOW_MS), now).filter((v) => VALIDATED_KINDS.includes(v.kind));
}

/** Each trigger that has fired for a version, with when it was raised. */
export function raisedTriggers(db: Db, versionId: string): { reason: TriggerReason; at: Date }[] {
  return (['margin_opposite', 'escalation_spike'] as const).flatMap((reason) => {
    const at = policyAlertRaisedAt(db, policyAlertSubject(versionId, reason));
    return at ? [{ reason, at }] : [];
  });
}

/**
 * §48 step 4 and §49, on the clock's tick: for each change in force for less than a week and not
 * rolled back, judge the triggers and raise each one that fires once, to ops and exec, with a Roll
 * back button. raisePolicyAlert records the raise in the same transaction, so the next tick, a
 * restart or a second process never raise it twice. Returns the subjects raised now.
 */
export function checkValidationTriggers(env: PolicyTickEnv): string[] {
  const { db, now } = env;
  const raised: string[] = [];
  for (const v of versionsUnderValidation(db, now)) {
    if (v.rolledBackAt) continue;
    // Both fired already: nothing left to judge for this version.
    if (raisedTriggers(db, v.id).length === 2) continue;
    const alertEnv = { db, team: env.catalog.team, platforms: env.platforms, now };
    db.transaction(() => {
      const validation = validateVersion(db, v, now);
      for (const reason of validation?.triggers ?? []) {
        const subject = policyAlertSubject(v.id, reason);
        if (raisePolicyAlert(alertEnv, subject, ['ops', 'exec'])) raised.push(subject);
      }
    }).immediate();
  }
  return raised;
}
