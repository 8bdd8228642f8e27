import { formatLocalTime, localDate } from '../domain/calendar.js';
import { AGING_RISK_DAYS, ageDays, agesAt, agingBand, alertLine, exceptionRiskLevel, recoveryStatus, registryRisk, type RegistryRisk } from '../domain/exception-risk.js';
import type { ExceptionRecord } from '../domain/exception-record.js';
import { bullets, context, fields, header, reply, table, text, type Reply } from '../reply/reply.js';
import type { AlertRecord } from '../store/alerts.js';

/** The API's JSON for one exception, with its age and risk as of `now` (`days`, when a list worked it out already). */
export function exceptionData(e: ExceptionRecord, now: Date, timezone: string, days = ageDays(e.approvedAt, now, timezone)) {
  const open = e.status === 'open';
  return {
    id: e.id,
    status: e.status,
    quote_id: e.quoteRef,
    account: e.account,
    segment: e.segment,
    reason: e.reason,
    approved_by: { name: e.approvedByName, role: e.approvedByRole },
    owner: e.owner,
    recovery_plan: e.recoveryPlan,
    target_date: e.targetDate,
    approved_at: e.approvedAt.toISOString(),
    age_days: days,
    aging_band: agingBand(days),
    risk_level: open ? exceptionRiskLevel(days) : 'none',
    recovery_status: open ? recoveryStatus(days, e.progress.length > 0) : null,
    rejection_reason: e.rejectionReason,
    outcome: e.outcome,
    closed_at: e.closedAt?.toISOString() ?? null,
    progress: e.progress.map((p) => ({ at: p.notedAt.toISOString(), note: p.note, by: p.userName })),
  };
}

export function riskData(risk: RegistryRisk, summary: string) {
  return {
    risk_level: risk.level,
    recommended_action: risk.recommendedAction,
    summary,
    open_count: risk.openCount,
    oldest_age_days: risk.oldestAgeDays,
    aging_risk_count: risk.agingRiskCount,
  };
}

export function registrySummary(risk: RegistryRisk): string {
  if (risk.openCount === 0) return 'No open exceptions';
  return `${risk.openCount} open exception${risk.openCount === 1 ? '' : 's'}, ${risk.agingRiskCount} aging-risk (${AGING_RISK_DAYS}+ days), oldest ${risk.oldestAgeDays} days`;
}

/** The open exceptions' ages as of `now`, in their order: worked out once per view, used by every part of it. */
export function openAges(open: readonly ExceptionRecord[], now: Date, timezone: string): number[] {
  return agesAt(open.map((e) => e.approvedAt), now, timezone);
}

export function registryRiskOf(open: readonly ExceptionRecord[], now: Date, timezone: string, ages = openAges(open, now, timezone)): RegistryRisk {
  return registryRisk(ages);
}

export function exceptionListReply(open: readonly ExceptionRecord[], now: Date, timezone: string): Reply {
  const ages = openAges(open, now, timezone);
  const risk = registryRisk(ages);
  const summary = registrySummary(risk);
  const line = alertLine(risk.level, summary, risk.recommendedAction);
  const data = open.map((e, i) => exceptionData(e, now, timezone, ages[i]));
  const rows = open.map((e, i) => {
    const d = data[i] ?? exceptionData(e, now, timezone);
    const last = e.progress.at(-1);
    return [e.id, e.account, `${d.age_days}d`, d.aging_band, d.risk_level, e.owner, e.targetDate ?? '—', last ? `${localDate(last.notedAt, timezone)} ${last.note}`.slice(0, 40) : 'none'];
  });
  return {
    ...reply(line, [
      header('Open strategic exceptions'),
      text(`**${line}**`),
      rows.length
        ? table(['id', 'account', 'age', 'band', 'risk', 'owner', 'target', 'last progress'], rows)
        : text('Nothing open. Record one with `/exceptions add`.'),
      context('Oldest first. `/exceptions show ID` for details · `/exceptions help` for the rest.'),
    ]),
    data: { exceptions: data, ...riskData(risk, summary) },
  };
}

export function exceptionReply(e: ExceptionRecord, alerts: readonly AlertRecord[], now: Date, timezone: string, headline?: string): Reply {
  const d = exceptionData(e, now, timezone);
  const state =
    e.status === 'rejected'
      ? `rejected: ${e.rejectionReason}`
      : e.status === 'closed'
        ? `closed (${e.outcome}) ${e.closedAt ? formatLocalTime(e.closedAt, timezone) : ''}`
        : `open · ${d.age_days} days · band ${d.aging_band} · risk ${d.risk_level} · recovery ${d.recovery_status}`;
  const alertLines = alerts.map(
    (a) => `#${a.id} ${a.level} raised ${formatLocalTime(a.raisedAt, timezone)}${a.acknowledgedAt ? `, acknowledged by ${a.ackUserName}` : ''}${a.escalatedAt ? ', escalated' : ''}`,
  );
  return {
    ...reply(headline ?? `${e.id}: ${state}`, [
      header(`${e.id} · ${e.account}`),
      ...(headline ? [text(headline)] : []),
      fields(
        { label: 'Status', value: state },
        { label: 'Quote', value: e.quoteRef },
        { label: 'Segment', value: e.segment },
        { label: 'Reason', value: e.reason },
        { label: 'Approved by', value: `${e.approvedByName} (${e.approvedByRole}) on ${localDate(e.approvedAt, timezone)}` },
        { label: 'Owner', value: e.owner },
        { label: 'Recovery plan', value: e.recoveryPlan ?? '—' },
        { label: 'Target recovery', value: e.targetDate ?? '—' },
      ),
      text(`**Progress**\n${e.progress.length ? bullets(e.progress.map((p) => `${formatLocalTime(p.notedAt, timezone)} ${p.userName}: ${p.note}`)) : 'none yet'}`),
      ...(alertLines.length ? [text(`**Alerts**\n${bullets(alertLines)}`)] : []),
    ]),
    data: exceptionData(e, now, timezone),
  };
}
