import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { executiveSponsor } from '../src/domain/team.js';
import { context, header, reply, table } from '../src/reply/reply.js';

export default defineCommand({
  name: 'team',
  description: 'Who is who: roles, chat ids and alert channels, from data/team.json.',
  examples: ['/team'],
  input: () => z.strictObject({}),
  handler(_input, ctx) {
    const { team } = ctx.catalog;
    const sponsor = executiveSponsor(team);
    const channels = Object.entries(team.channels).flatMap(([platform, c]) =>
      Object.entries(c ?? {}).map(([purpose, id]) => [platform, purpose, String(id)]),
    );
    return {
      ...reply(`${team.people.length} people on the team`, [
        header('The team'),
        table(
          ['id', 'name', 'role', 'slack', 'discord'],
          team.people.map((p) => [p.id, p.name + (p === sponsor ? ' (executive sponsor)' : ''), p.role, p.slackId ?? '—', p.discordId ?? '—']),
        ),
        table(['platform', 'channel', 'id'], channels),
        context(`You are ${ctx.actor.name}, ${ctx.actor.role}. Anyone not listed is a sales_rep. Edit data/team.json and restart to change this.`),
      ]),
      data: {
        people: team.people.map((p) => ({ id: p.id, name: p.name, role: p.role, executive_sponsor: p === sponsor, slack_id: p.slackId ?? null, discord_id: p.discordId ?? null })),
        channels: team.channels,
      },
    };
  },
});
