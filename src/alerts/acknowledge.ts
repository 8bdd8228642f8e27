import type { CommandContext } from '../core/command.js';
import { UserError } from '../core/errors.js';
import { mayAcknowledge } from '../domain/alert-routing.js';
import { formatLocalTime } from '../domain/calendar.js';
import { reply, text, type Reply } from '../reply/reply.js';
import { acknowledgeAlert, alertHeadline, getAlert } from '../store/alerts.js';
import { enqueue, platformsWithAlert } from '../store/outbox.js';

/**
 * A manager's acknowledgement, from a button on any platform or from `/exceptions ack`. Exactly one
 * acknowledgement is recorded however many arrive; every posted copy of the alert is then updated.
 */
export function acknowledge(ctx: CommandContext, alertId: number): Reply {
  const { actor, db } = ctx;
  if (!mayAcknowledge(actor.role)) {
    throw new UserError(
      `Only a revenue manager or an executive can acknowledge alerts; you are listed as ${actor.role}. Ask the revenue manager, or have data/team.json updated.`,
      'forbidden',
    );
  }
  const alert = getAlert(db, alertId);
  if (!alert) throw new UserError(`There is no alert #${alertId}.`, 'not_found');
  const line = alertHeadline(alert);
  const won = db.transaction(() => {
    if (!acknowledgeAlert(db, alertId, { userId: actor.userId, name: actor.name, platform: actor.platform }, ctx.now)) return false;
    for (const platform of platformsWithAlert(db, alertId)) {
      enqueue(db, { platform, kind: 'alert_refresh', destination: '', alertId, at: ctx.now });
    }
    return true;
  }).immediate();
  if (won) {
    ctx.notify?.();
    ctx.log.info({ alert: alertId, by: actor.userId }, 'alert acknowledged');
    const message = `Acknowledged alert #${alertId} at ${formatLocalTime(ctx.now, ctx.config.timezone)}.`;
    return { ...reply(message, [text(`✅ ${message}\n${line}`)]), data: { alert_id: alertId, acknowledged: true, by: actor.name } };
  }
  const current = getAlert(db, alertId);
  const when = current?.acknowledgedAt ? formatLocalTime(current.acknowledgedAt, ctx.config.timezone) : 'earlier';
  const message = `Alert #${alertId} was already acknowledged by ${current?.ackUserName ?? 'someone'} at ${when}.`;
  return { ...reply(message, [text(message)]), data: { alert_id: alertId, acknowledged: false, by: current?.ackUserName } };
}
