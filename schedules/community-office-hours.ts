import { defineSchedule } from '../src/core/schedule.js';
import { context, header, reply, text } from '../src/reply/reply.js';
import { openQuestions } from '../src/store/community.js';

/** Playbook §4 ("Office hours: weekly live Q&A"): the community channel’s weekly reminder. */
export default defineSchedule({
  name: 'community-office-hours',
  title: 'Weekly office-hours reminder',
  cron: '0 10 * * 4',
  channel: 'community',
  build(ctx) {
    const community = ctx.catalog.team.community;
    const when = community?.officeHours ?? 'Weekly live Q&A with the team: bring your questions.';
    const waiting = openQuestions(ctx.db).length;
    return {
      ...reply(`Office hours this week: ${when}`, [
        header('📣 Office hours this week'),
        text(when),
        text('Bring what you are building, what is stuck, and what you would like us to build next.'),
        ...(waiting ? [context(`${waiting} question(s) in the help channel are still waiting for an answer: we will take them first.`)] : []),
      ], 'channel'),
      data: { office_hours: when, open_questions: waiting },
    };
  },
});
