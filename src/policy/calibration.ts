import { checkPolicyRules, type PolicyFile } from '../catalog/pricing-policy.js';
import {
  CALIBRATION_WINDOW_DAYS, MARGIN_OVER_TARGET_POINTS, MARGIN_UNDER_TARGET_POINTS, MIN_DECIDED_QUOTES, MIN_MARGIN_QUOTES, WIN_RATE_HIGH_PCT, WIN_RATE_LOW_PCT,
  calibrate, type CalibrationQuote, type SegmentCalibration, type Signal,
} from '../domain/calibration.js';
import { formatLocalTime } from '../domain/calendar.js';
import { formatPct, formatUsd, roundToCents } from '../domain/money.js';
import { applyChanges, classifyChange, guardrailViolations } from '../domain/policy-change.js';
import type { PolicyRules } from '../domain/policy-version.js';
import { bullets, context, header, reply, table, text, type Reply } from '../reply/reply.js';
import type { Db } from '../store/open.js';
import { versionInForce } from '../store/policy-versions.js';
import { listQuotesBetween } from '../store/quotes.js';
import { seedPolicy } from './in-force.js';

const DAY_MS = 86_400_000;

/** A suggestion as the report shows it: the line to type, or why no single change keeps the guardrails. */
interface Suggestion {
  segment: string;
  signal: Signal;
  line: string | null;
  changeType: 'minor' | 'major' | null;
  problem: string | null;
}

const quoted = (s: string) => `"${s.replace(/"/g, "'")}"`;

/**
 * A signal's change as a ready /policy propose line, checked as the proposal will be (the parser,
 * the rules' structure, the guardrails) so the report never suggests what would be refused.
 */
function suggest(rules: PolicyRules, c: SegmentCalibration, signal: Signal, month: string): Suggestion {
  const assignment = `${signal.change.path}=${signal.change.value}`;
  const applied = applyChanges(rules, assignment);
  const problems = applied.ok ? [...(checkPolicyRules(applied.rules).ok ? [] : ['it would leave a markup at zero or below']), ...guardrailViolations(rules, applied.rules)] : applied.problems;
  if (!applied.ok || problems.length) return { segment: c.segment, signal, line: null, changeType: null, problem: problems[0] ?? 'no valid change' };
  const rationale = `Calibration ${month}: ${c.segment} ${signal.reading.split(':')[0]}`;
  const line = `/policy propose changes="${assignment}" rationale=${quoted(rationale)} drift=${quoted(signal.reading.split(':')[0] ?? '')} expected=${quoted(signal.expected)} expected_margin=${signal.expectedMargin} rollback_criteria=${quoted(signal.rollbackCriteria)}`;
  return { segment: c.segment, signal, line, changeType: classifyChange(applied.changes).type, problem: null };
}

function toSample(q: ReturnType<typeof listQuotesBetween>[number]): CalibrationQuote {
  return {
    segment: q.request.segment,
    delivery: q.request.delivery,
    grossMarginPct: q.price.grossMarginPct,
    finalPrice: q.price.finalPrice,
    outcome: q.state === 'won' ? 'won' : q.state === 'lost' ? 'lost' : null,
  };
}

const usdOrDash = (v: SegmentCalibration['avgQuotedUsd']) => (v ? formatUsd(roundToCents(v)) : '—');

/**
 * The monthly calibration (§50) over the 4 weeks before `now`: quotes created in the window, each
 * with what became of it (won or lost, from the quote's own state), margins against the guardrails
 * of the version in force now. Shared by /policy calibrate and the monthly post.
 */
export function calibrationReport(db: Db, file: PolicyFile, now: Date, timezone: string): Reply {
  seedPolicy(db, file, now);
  const version = versionInForce(db, now);
  if (!version) throw new Error(`no pricing policy version is in force at ${now.toISOString()}`);
  const from = new Date(now.getTime() - CALIBRATION_WINDOW_DAYS * DAY_MS);
  const quotes = listQuotesBetween(db, from, now).map(toSample);
  const segments = calibrate(quotes, version.rules);
  const month = formatLocalTime(now, timezone).slice(0, 7);
  const suggestions = segments.flatMap((c) => c.signals.map((s) => suggest(version.rules, c, s, month)));
  const thin = segments.flatMap((c) => [...(c.winRateEnough ? [] : [`${c.segment} win rate`]), ...c.margins.filter((m) => !m.enough).map((m) => `${c.segment} ${m.delivery} margin`)]);
  const summary = `Pricing calibration: ${quotes.length} quotes in ${CALIBRATION_WINDOW_DAYS} days, ${suggestions.length} signal(s)`;
  const window = `${formatLocalTime(from, timezone)} to ${formatLocalTime(now, timezone)}`;
  return {
    ...reply(summary, [
      header('Monthly pricing calibration'),
      text(`**Last ${CALIBRATION_WINDOW_DAYS} days** ${window} · ${quotes.length} quotes · policy in force ${version.id}`),
      segments.length
        ? table(
            ['segment', 'quotes', 'won', 'lost', 'win rate', 'avg quoted', 'avg accepted'],
            segments.map((c) => [c.segment, String(c.quotes), String(c.won), String(c.lost), c.winRatePct === null ? '—' : `${c.winRatePct}%${c.winRateEnough ? '' : ' (not enough data)'}`, usdOrDash(c.avgQuotedUsd), usdOrDash(c.avgAcceptedUsd)]),
          )
        : text('No quotes in the last 4 weeks: nothing to calibrate.'),
      ...(segments.length
        ? [table(
            ['segment', 'delivery', 'quotes', 'avg margin', 'target', 'vs target'],
            segments.flatMap((c) => c.margins.map((m) => [c.segment, m.delivery, String(m.quotes), formatPct(m.avgMarginPct), `${m.targetPct.toString()}%`, `${m.gapPoints.gte(0) ? '+' : ''}${m.gapPoints.toFixed(2)} pts${m.enough ? '' : ' (not enough data)'}`])),
          )]
        : []),
      text(
        suggestions.length
          ? `**Signals** (§50: change one variable per cycle, so pick one)\n${bullets(suggestions.map((s) => `${s.segment}: ${s.signal.reading}. ${s.line ? `Suggested (${s.changeType}): \`${s.line}\`` : `No single change within the guardrails: ${s.problem}`}`))}`
          : '**Signals** none: no policy change suggested this month.',
      ),
      context(
        `Signals (§50): win rate over ${WIN_RATE_HIGH_PCT}% or under ${WIN_RATE_LOW_PCT}% of won + lost quotes, read from at least ${MIN_DECIDED_QUOTES} of them; average margin over target + ${MARGIN_OVER_TARGET_POINTS} or under target - ${MARGIN_UNDER_TARGET_POINTS} points, target = the delivery type's guardrail, read from at least ${MIN_MARGIN_QUOTES} quotes of a segment and delivery type. Below that: not enough data.${thin.length ? ` Not enough data this month for: ${thin.join(', ')}.` : ''}`,
      ),
    ], 'channel'),
    data: {
      from: from.toISOString(), to: now.toISOString(), policy_version: version.id, quotes: quotes.length,
      segments: segments.map((c) => ({
        segment: c.segment, quotes: c.quotes, won: c.won, lost: c.lost, win_rate_pct: c.winRatePct, win_rate_enough: c.winRateEnough,
        avg_quoted_usd: c.avgQuotedUsd ? Number(roundToCents(c.avgQuotedUsd).toString()) : null,
        avg_accepted_usd: c.avgAcceptedUsd ? Number(roundToCents(c.avgAcceptedUsd).toString()) : null,
        margins: c.margins.map((m) => ({ delivery: m.delivery, quotes: m.quotes, avg_margin_pct: Number(m.avgMarginPct.toString()), target_pct: Number(m.targetPct.toString()), gap_points: Number(m.gapPoints.toString()), enough: m.enough })),
      })),
      signals: suggestions.map((s) => ({ segment: s.segment, kind: s.signal.kind, change: s.signal.change, change_type: s.changeType, propose: s.line, problem: s.problem })),
    },
  };
}
