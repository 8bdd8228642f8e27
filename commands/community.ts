import { z } from 'zod';
import { alertEnv } from '../src/alerts/env.js';
import { closeOpenQuestion } from '../src/community/help-queue.js';
import { monthOfQuestions } from '../src/community/month.js';
import { openQuestionsReply } from '../src/community/view.js';
import { defineCommand, defineSubcommand } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { mayAcknowledge } from '../src/domain/alert-routing.js';
import { currentMonth } from '../src/domain/calendar.js';
import { header, reply, text } from '../src/reply/reply.js';
import { getQuestion, openQuestions, parseQuestionRef } from '../src/store/community.js';

const list = defineSubcommand({
  description: 'Open questions in the Discord help channel, longest wait first, with age, plan and SLA level.',
  examples: ['/community', '/community list'],
  input: () => z.strictObject({}),
  handler(_input, ctx) {
    // The queue fills only while the bot is on Discord with a help channel configured.
    const notWatching = !ctx.catalog.team.community ? 'no_community_section' : !ctx.config.discord ? 'discord_off' : null;
    return openQuestionsReply(openQuestions(ctx.db), ctx.now, ctx.config.timezone, notWatching);
  },
});

export default defineCommand({
  name: 'community',
  description: 'The Discord community’s help queue: open questions, monthly figures, and closing one by hand.',
  examples: ['/community', '/community stats month=2026-10', '/community close CQ-00004 reason="answered on the office-hours call"'],
  input: list.input,
  handler: list.handler,
  subcommands: {
    list,
    stats: defineSubcommand({
      description: 'One month of the help queue: questions asked, answered, median time to first answer.',
      examples: ['/community stats', '/community stats month=2026-10'],
      input: () => z.strictObject({ month: z.string().trim().regex(/^\d{4}-\d{2}$/, 'must be a month as YYYY-MM').optional().describe('the month, YYYY-MM (default this month),') }),
      handler(input, ctx) {
        const month = input.month ?? currentMonth(ctx.now, ctx.config.timezone);
        const figures = monthOfQuestions(ctx.db, month, ctx.config.timezone);
        if (!figures) throw new UserError(`\`${month}\` is not a month; use YYYY-MM.`, 'invalid_input', { field: 'month' });
        return { ...reply(figures.line, [header(`Community help queue, ${month}`), ...figures.blocks]), data: figures.data };
      },
    }),
    close: defineSubcommand({
      description: 'Close an open question that was answered elsewhere or is not a question (revenue managers and executives).',
      examples: ['/community close CQ-00004 reason="answered on the office-hours call"'],
      input: () =>
        z.strictObject({
          id: z.string().trim().min(1).max(20).describe('the question, e.g. CQ-00004 or 4,'),
          reason: z.string().trim().min(1).max(300).describe('why it needs no answer in the channel,'),
        }),
      handler(input, ctx) {
        if (!mayAcknowledge(ctx.actor.role)) {
          throw new UserError(`Only a revenue manager or an executive can close a question by hand; you are listed as ${ctx.actor.role}.`, 'forbidden');
        }
        const seq = parseQuestionRef(input.id);
        const existing = seq === null ? null : getQuestion(ctx.db, seq);
        if (!existing) throw new UserError(`There is no question \`${input.id}\`. \`/community\` lists the open ones.`, 'not_found');
        const closed = closeOpenQuestion(alertEnv(ctx), existing.seq, ctx.actor.name, input.reason);
        if (!closed) throw new UserError(`${existing.ref} is already ${existing.status}.`, 'conflict');
        ctx.notify?.();
        ctx.log.info({ question: closed.ref }, 'question closed by hand');
        const message = `${closed.ref} from ${closed.askerName} closed: ${input.reason}.`;
        return { ...reply(message, [text(`✅ ${message}`)]), data: { id: closed.ref, status: closed.status, reason: input.reason } };
      },
    }),
  },
});
