import { monthOfQuestions } from '../src/community/month.js';
import { defineSchedule } from '../src/core/schedule.js';
import { previousMonth } from '../src/domain/calendar.js';
import { context, header, reply } from '../src/reply/reply.js';

/** Issue 6: the month just ended in the help channel, posted to the community on the 1st. */
export default defineSchedule({
  name: 'community-digest',
  title: 'Monthly community digest',
  cron: '0 10 1 * *',
  channel: 'community',
  build(ctx) {
    // The slot, not now: a digest caught up after a restart still reports the month it was due for.
    const month = previousMonth(ctx.slot, ctx.config.timezone);
    const figures = monthOfQuestions(ctx.db, month, ctx.config.timezone);
    if (!figures) throw new Error(`no month range for ${month}`);
    return {
      ...reply(`Community digest ${figures.line}`, [
        header(`Community digest: ${month}`),
        ...figures.blocks,
        context('Counted over the questions asked in the help channel that month; time to first answer is to the first reply from the team.'),
      ], 'channel'),
      data: figures.data,
    };
  },
});
