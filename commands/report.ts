import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { dayRange, localDate } from '../src/domain/calendar.js';
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
    const segments = Object.entries(r.bySegment);
    return {
      ...reply(`${r.quotesTotal} quotes on ${date}`, [
        header(`Quotes on ${date}`),
        fields(...DECISIONS.map((d) => ({ label: d.replace(/_/g, ' '), value: String(r.byDecision[d]) }))),
        segments.length
          ? table(['segment', 'quotes', 'avg margin'], segments.map(([s, v]) => [s, String(v.count), `${v.avgMarginPct.toFixed(2)}%`]))
          : text('No quotes on that day.'),
        context(`${r.quotesTotal} quotes in all · days are counted in ${tz}`),
      ]),
      data: {
        date,
        timezone: tz,
        quotes_total: r.quotesTotal,
        by_decision: r.byDecision,
        by_segment: Object.fromEntries(segments.map(([s, v]) => [s, { count: v.count, avg_margin: v.avgMarginPct }])),
      },
    };
  },
});
