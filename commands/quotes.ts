import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { calendarDate, choice, wholeNumber } from '../src/core/input-types.js';
import { quoteList } from '../src/deal-desk/list.js';
import { SEGMENTS } from '../src/domain/pricing-types.js';
import { QUOTE_STATES } from '../src/domain/quote-life.js';

export const QUOTE_LIST_MAX = 100;

export default defineCommand({
  name: 'quotes',
  description: 'List quotes, newest first: a sales rep sees their own, managers, pricing admins and executives all.',
  examples: ['/quotes', '/quotes state=sent', '/quotes account="Acme Corp" since=2026-11-01', '/quotes segment=enterprise state=pending_approval limit=50'],
  input: () =>
    z.strictObject({
      state: choice(QUOTE_STATES, 'only quotes in this state,').optional(),
      account: z.string().trim().min(1).max(120).optional().describe('only this account (as the quote names it),'),
      segment: choice(SEGMENTS, 'only this segment,').optional(),
      since: calendarDate('only quotes asked on or after this day,').optional(),
      limit: wholeNumber(`how many to show (at most ${QUOTE_LIST_MAX}),`, 1, QUOTE_LIST_MAX).default(20),
    }),
  handler: (input, ctx) => quoteList(ctx, input),
});
