import { formatLocalTime } from '../domain/calendar.js';
import { TRIGGER_REASONS, type TriggerReason } from '../domain/policy-validation.js';
import type { PolicyVersion } from '../domain/policy-version.js';
import type { Team } from '../domain/team.js';
import { actions, context, fields, header, reply, text, type Block, type Reply } from '../reply/reply.js';
import type { Db } from '../store/open.js';
import { announcedSuccessor } from '../store/policy-version-rollback.js';
import { getVersion } from '../store/policy-versions.js';
import { parsePolicyAlertSubject, policyAlertRaisedAt } from './alert.js';
import { validateVersion } from './validation.js';
import { TRIGGER_LABEL, escalationLine, marginLine, sideCount, triggerSentence } from './validation-view.js';

/** The Roll back button's id: `policy.rollback`, carrying the version id. */
export const ROLLBACK_ACTION = 'policy.rollback';

/** Who rolled it back and when, from the rollback version the rolled-back one names. */
function rolledBackLine(db: Db, v: PolicyVersion, timezone: string): string | null {
  if (!v.rolledBackAt) return null;
  const by = v.rolledBackBy ? getVersion(db, v.rolledBackBy) : undefined;
  return `↩️ Rolled back by ${by?.proposedBy.name ?? 'someone'} at ${formatLocalTime(v.rolledBackAt, timezone)}: ${by?.id ?? 'a rollback version'} restores ${by ? `the rules in force before ${v.id}` : 'the previous rules'}.`;
}

/**
 * A validation trigger's alert ("policy_alert:<id>:margin_opposite" or ":escalation_spike") as it
 * stands now: what moved, the figures as they were when it was raised, the rollback criteria the
 * proposer wrote, and a Roll back button while the version is the one in force; once rolled back,
 * who did it and when instead. Null for any other subject.
 */
export function renderValidationSubject(db: Db, _team: Team, timezone: string, subject: string): Reply | null {
  const parsed = parsePolicyAlertSubject(subject);
  if (!parsed || !TRIGGER_REASONS.includes(parsed.reason as TriggerReason)) return null;
  const reason = parsed.reason as TriggerReason;
  const version = getVersion(db, parsed.versionId);
  const raisedAt = policyAlertRaisedAt(db, subject);
  const validation = version && raisedAt ? validateVersion(db, version, raisedAt) : null;
  if (!version || !raisedAt || !validation) return null;
  const title = `Policy change backfiring: ${version.id}`;
  const blocks: Block[] = [
    header(title),
    text(`**${TRIGGER_LABEL[reason]}**\n${triggerSentence(reason, version, validation)}`),
    fields(
      { label: 'Average margin', value: `${marginLine(validation)} (week before: ${sideCount(validation.before)}; under the change: ${sideCount(validation.after)})` },
      { label: 'Escalation rate', value: `${escalationLine(validation)} (first 48 hours: ${sideCount(validation.first48h)})` },
      { label: 'Expected outcome', value: version.expectedOutcome ?? 'not stated' },
      { label: 'Rollback criteria', value: version.rollbackCriteria ?? 'none were written' },
      { label: 'Change', value: `${version.changeType}, by ${version.changedBy}, in force since ${version.effectiveAt ? formatLocalTime(version.effectiveAt, timezone) : '—'}` },
    ),
  ];
  const rolledBack = rolledBackLine(db, version, timezone);
  const successor = rolledBack ? undefined : announcedSuccessor(db, version);
  if (rolledBack) blocks.push(context(rolledBack));
  else if (successor) blocks.push(context(`${successor} has replaced it since: there is nothing to roll back.`));
  else {
    blocks.push(
      actions({ action: ROLLBACK_ACTION, label: 'Roll back', value: version.id, style: 'danger', typed: `/policy rollback ${version.id}` }),
      context(`Raised ${formatLocalTime(raisedAt, timezone)}. Rolling back (§49): a minor change, a revenue manager; a major one, an executive; an emergency, its originator.`),
    );
  }
  const summary = rolledBack ? `${version.id} rolled back (${TRIGGER_LABEL[reason]})` : `${title}: ${TRIGGER_LABEL[reason]}`;
  return reply(summary, blocks, 'channel');
}
