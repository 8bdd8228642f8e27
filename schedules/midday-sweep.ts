import { openAges, registryRiskOf, registrySummary } from '../src/alerts/exception-view.js';
import { defineSchedule, type ScheduleContext } from '../src/core/schedule.js';
import { nextSlot } from '../src/domain/slots.js';
import middayFollowup from './midday-followup.js';
import { formatLocalTime } from '../src/domain/calendar.js';
import { AGING_BANDS, agingBand, alertLine } from '../src/domain/exception-risk.js';
import { context, fields, header, reply, table, text } from '../src/reply/reply.js';
import { unacknowledgedAlerts } from '../src/store/alerts.js';
import { listOpenExceptions } from '../src/store/exceptions.js';
import { alertSubject } from '../src/alerts/subject.js';
import { DASHBOARD_THRESHOLDS } from '../src/scheduler/helpers.js';

/** When the follow-up runs, as data/schedules.json sets it ("30 minutes from now"); null when it is off. */
function followUpIn(ctx: ScheduleContext): string | null {
  const override = ctx.catalog.schedules[middayFollowup.name];
  if (override?.enabled === false) return null;
  const next = nextSlot(override?.cron ?? middayFollowup.cron, ctx.config.timezone, ctx.slot);
  const minutes = Math.round((next.getTime() - ctx.slot.getTime()) / 60_000);
  return minutes < 120 ? `${minutes} minutes from now` : `at ${formatLocalTime(next, ctx.config.timezone)}`;
}

/** Playbook §45: a second risk check during selling hours, before drift reaches the end of the day. */
export default defineSchedule({
  name: 'midday-sweep',
  title: 'Midday exception sweep',
  cron: '30 12 * * 1-5',
  build(ctx) {
    const tz = ctx.config.timezone;
    const open = listOpenExceptions(ctx.db);
    // Each age once: the risk and the four bands all read them.
    const ages = openAges(open, ctx.now, tz);
    const risk = registryRiskOf(open, ctx.now, tz, ages);
    const line = alertLine(risk.level, registrySummary(risk), risk.recommendedAction);
    const bands = AGING_BANDS.map((b) => ({ label: `${b.band} days`, value: String(ages.filter((days) => agingBand(days) === b.band).length) }));
    const waiting = unacknowledgedAlerts(ctx.db)
      .map((a) => ({ a, subject: alertSubject(ctx.db, ctx.catalog.team, a) }))
      .filter((x) => x.subject.live);
    const followUp = followUpIn(ctx);
    const rows = waiting.map(({ a, subject }) => [
      `#${a.id}`, a.level, subject.label.replace(/^the registry$/, 'registry'), subject.owner ?? '—', formatLocalTime(a.raisedAt, tz), a.escalatedAt ? 'escalated' : 'not acknowledged',
    ]);
    return reply(line, [
      header('Midday exception sweep'),
      text(`**${line}**`),
      fields(...bands),
      rows.length
        ? table(['alert', 'level', 'about', 'owner', 'raised', 'state'], rows)
        : text('No warning or critical alert is waiting for an acknowledgement.'),
      ...(waiting.some((x) => x.a.level === 'critical') && followUp ? [text(`Criticals still unacknowledged at the follow-up, ${followUp}, are escalated to the executive sponsor.`)] : []),
      context(DASHBOARD_THRESHOLDS),
    ], 'channel');
  },
});
