import { escalate } from '../src/alerts/engine.js';
import { alertEnv } from '../src/alerts/env.js';
import { defineSchedule } from '../src/core/schedule.js';
import { bullets, header, reply, text } from '../src/reply/reply.js';
import { alertHeadline, unacknowledgedAlerts } from '../src/store/alerts.js';

/** Playbook §45 step 4: 30 minutes after the sweep, any critical still unacknowledged is escalated. */
export default defineSchedule({
  name: 'midday-followup',
  title: 'Midday sweep follow-up',
  cron: '0 13 * * 1-5',
  build(ctx) {
    const criticals = unacknowledgedAlerts(ctx.db).filter((a) => a.level === 'critical');
    const escalated = criticals.filter((a) => escalate(alertEnv(ctx), a));
    if (criticals.length === 0) {
      return reply('Midday follow-up: every critical alert is acknowledged.', [header('Midday sweep follow-up'), text('Every critical alert is acknowledged. Nothing to escalate.')], 'channel');
    }
    const lines = criticals.map((a) => `${alertHeadline(a)}${escalated.includes(a) ? ' (escalated now)' : ' (already escalated)'}`);
    return reply(`Midday follow-up: ${criticals.length} critical alert(s) still unacknowledged`, [
      header('Midday sweep follow-up'),
      text(`**Still unacknowledged, escalated to the executive sponsor:**\n${bullets(lines)}`),
    ], 'channel');
  },
});
