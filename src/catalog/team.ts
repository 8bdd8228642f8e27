import { z } from 'zod';
import { PLATFORMS, ROLES } from '../domain/actor.js';
import { AUTHORITIES } from '../domain/approval-authority.js';
import { PLANS } from '../domain/community.js';
import type { Team } from '../domain/team.js';
import { loadJsonFile } from './load-json.js';

const channelId = z.string().trim().min(1).max(64);
const channels = z.strictObject({ ops: channelId.optional(), exec: channelId.optional(), community: channelId.optional(), deal_desk: channelId.optional(), sales: channelId.optional() });
const snowflake = (what: string) => z.string().regex(/^\d{15,22}$/, `a Discord ${what} id is a long number (a snowflake)`);
const community = z.strictObject({
  help_channel: snowflake('channel'),
  plan_roles: z.record(snowflake('role'), z.enum(PLANS)).default({}),
  team_roles: z.array(snowflake('role')).default([]),
  office_hours: z.string().trim().min(1).max(300).default('Weekly live Q&A with the team: bring your questions.'),
});

export const teamFile = z
  .object({
    people: z.array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9._-]{1,32}$/, 'ids are lowercase letters, digits, ".", "_" or "-"'),
        name: z.string().trim().min(1).max(80),
        role: z.enum(ROLES),
        executive_sponsor: z.boolean().optional(),
        approves: z.array(z.enum(AUTHORITIES, { error: `approval authorities are: ${AUTHORITIES.join(', ')}` })).default([]),
        slack_id: z.string().regex(/^[UW][A-Z0-9]{2,20}$/, 'a Slack user id looks like U0123ABCD').optional(),
        discord_id: z.string().regex(/^\d{15,22}$/, 'a Discord user id is a long number (a snowflake)').optional(),
        console_user: z.string().min(1).max(64).optional(),
      }),
    ),
    channels: z.partialRecord(z.enum(PLATFORMS), channels).default({}),
    discord_roles: z.record(z.string().regex(/^\d{15,22}$/, 'a Discord role id is a long number'), z.enum(ROLES)).default({}),
    community: community.optional(),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.people.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['people', i, 'id'], message: `"${p.id}" is used twice` });
      seen.add(p.id);
    });
  });

function describeIssue(path: PropertyKey[], raw: unknown): string {
  const [top, index, field] = path;
  if (top === 'people' && typeof index === 'number') {
    const people = (raw as { people?: { id?: unknown }[] } | null)?.people;
    const who = people?.[index]?.id;
    const label = typeof who === 'string' ? `person "${who}"` : `person #${index + 1}`;
    return field === undefined ? label : `${label}, field "${String(field)}"`;
  }
  return `field "${path.map(String).join('.') || '(root)'}"`;
}

export function parseTeam(file: z.output<typeof teamFile>): Team {
  return {
    people: file.people.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      executiveSponsor: p.executive_sponsor === true,
      approves: [...new Set(p.approves)],
      slackId: p.slack_id,
      discordId: p.discord_id,
      consoleUser: p.console_user,
    })),
    channels: file.channels,
    discordRoles: file.discord_roles,
    ...(file.community
      ? {
          community: {
            helpChannel: file.community.help_channel,
            planRoles: file.community.plan_roles,
            teamRoles: file.community.team_roles,
            officeHours: file.community.office_hours,
          },
        }
      : {}),
  };
}

export function loadTeam(path: string): Team {
  return parseTeam(loadJsonFile(path, teamFile, describeIssue));
}
