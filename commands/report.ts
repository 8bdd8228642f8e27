import { DateTime } from 'luxon';
import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { calendarDate } from '../src/core/input-types.js';
import { dayRange } from '../src/domain/calendar.js';
import { formatPct } from '../src/domain/money.js';
import { DECISIONS } from '../src/domain/pricing-types.js';
import { context, fields, header, reply, table, text } from '../src/reply/reply.js';
import { reportQuotes } from '../src/store/quotes.js';

/** today and yesterday are days in the ops time zone; anything else is already YYYY-MM-DD. */
function resolveDay(day: string, now: Date, timezone: string): string {
  const local = DateTime.fromJSDate(now).setZone(timezone);
  if (day === 'today') return local.toISODate() ?? '';
  if (day === 'yesterday') return local.minus({ days: 1 }).toISODate() ?? '';
  return day;
}

export default defineCommand({
  name: 'report',
  description: 'One day of quotes: how many, the decisions, and the average margin by segment.',
  examples: ['/report', '/report date=2026-11-21', '/report yesterday'],
  input: () =>
    z.strictObject({
      date: calendarDate('the day, in the ops time zone (default today),', ['today', 'yesterday']).optional(),
    }),
  handler(input, ctx) {
    const tz = ctx.config.timezone;
    const date = resolveDay(input.date ?? 'today', ctx.now, tz);
    const range = dayRange(date, tz);
    // The schema accepted a real calendar date, so only a bug gets here.
    if (!range) throw new Error(`report date ${date} passed validation but has no day range in ${tz}`);
    const r = reportQuotes(ctx.db, range);
    return {
      ...reply(`${r.quotesTotal} quotes on ${date}`, [
        header(`Quotes on ${date}`),
        fields(...DECISIONS.map((d) => ({ label: d.replace(/_/g, ' '), value: String(r.byDecision[d]) }))),
        r.bySegment.length
          ? table(['segment', 'quotes', 'avg margin'], r.bySegment.map((s) => [s.key, String(s.count), `${s.avgMarginPct.toFixed(2)}%`]))
          : text('No quotes on that day.'),
        context(`${r.quotesTotal} quotes in all${r.avgMarginPct ? ` · average margin ${formatPct(r.avgMarginPct)}` : ''} · days are counted in ${tz}`),
      ]),
      data: {
        date,
        timezone: tz,
        quotes_total: r.quotesTotal,
        avg_margin_pct: r.avgMarginPct ? Number(r.avgMarginPct.toFixed(2)) : null,
        by_decision: r.byDecision,
        by_segment: Object.fromEntries(r.bySegment.map((s) => [s.key, { count: s.count, avg_margin: Number(s.avgMarginPct.toFixed(2)) }])),
      },
    };
  },
});
