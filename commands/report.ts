import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { dayRange, localDate } from '../src/domain/calendar.js';
import { formatPct } from '../src/domain/money.js';
import { DECISIONS } from '../src/domain/pricing-types.js';
import { context, fields, header, reply, table, text } from '../src/reply/reply.js';
import { reportQuotes } from '../src/store/quotes.js';

export default defineCommand({
  name: 'report',
  description: 'One day of quotes: how many, the decisions, and the average margin by segment.',
  examples: ['/report', '/report date=2026-11-21'],
  input: () =>
    z.strictObject({
      date: z
        .string()
        .trim()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional()
        .describe('the day, in the ops time zone (default today):'),
    }),
  handler(input, ctx) {
    const tz = ctx.config.timezone;
    const date = input.date ?? localDate(ctx.now, tz);
    const range = dayRange(date, tz);
    if (!range) throw new UserError(`\`${date}\` is not a calendar date; use YYYY-MM-DD.`, 'invalid_input', { field: 'date', allowed: 'YYYY-MM-DD' });
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
