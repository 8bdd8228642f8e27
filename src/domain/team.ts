import type { Actor, Platform, Role } from './actor.js';
import type { Authority } from './approval-authority.js';
import type { CommunityConfig } from './community.js';

export interface Person {
  id: string;
  name: string;
  role: Role;
  executiveSponsor: boolean;
  /** The approval authorities (§21) this person holds: the matrix titles are not our four roles. */
  approves: readonly Authority[];
  slackId?: string;
  discordId?: string;
  /** The OS user name of someone who uses the bot from the Pi's own console. */
  consoleUser?: string;
}

/**
 * ops and exec take alerts and the operating cadence; community takes the community server's posts;
 * deal_desk takes approval requests; sales takes pricing policy announcements (§48: "announce to
 * the sales team"); each falls back to the ops channel when a platform names none.
 */
export type ChannelPurpose = 'ops' | 'exec' | 'community' | 'deal_desk' | 'sales';

/** A purpose's channel where the platform names one, else the ops channel. */
export function purposeOrOps(team: Team, platform: Platform, purpose: ChannelPurpose): ChannelPurpose {
  return team.channels[platform]?.[purpose] ? purpose : 'ops';
}

export interface Team {
  people: readonly Person[];
  /** Discord role ids that confer one of our roles, for people not listed by id. */
  discordRoles: Readonly<Record<string, Role>>;
  channels: Partial<Record<Platform, Partial<Record<ChannelPurpose, string>>>>;
  /** The Discord community's help queue; absent when the bot does not watch one. */
  community?: CommunityConfig;
}

export function findPerson(team: Team, platform: Platform, userId: string): Person | undefined {
  return team.people.find((p) =>
    platform === 'slack' ? p.slackId === userId : platform === 'discord' ? p.discordId === userId : platform === 'console' ? p.consoleUser === userId : false,
  );
}

/** The actor with their role: from data/team.json by id, else from a mapped Discord role, else sales_rep. */
export function withRole(team: Team, actor: Omit<Actor, 'role'>, discordRoleIds: readonly string[] = []): Actor {
  const person = findPerson(team, actor.platform, actor.userId);
  const mapped = discordRoleIds.map((id) => team.discordRoles[id]).find((r): r is Role => r !== undefined);
  return { ...actor, name: person?.name ?? actor.name, role: person?.role ?? mapped ?? 'sales_rep' };
}

export function executiveSponsor(team: Team): Person | undefined {
  return team.people.find((p) => p.executiveSponsor) ?? team.people.find((p) => p.role === 'executive');
}

export function peopleWithRole(team: Team, role: Role): Person[] {
  return team.people.filter((p) => p.role === role);
}

/** A recovery owner may be named by team id, by name, or by chat user id. */
export function resolvePerson(team: Team, ref: string): Person | undefined {
  // Reading what a person typed, not writing a post: a pasted Slack mention (<@U…>) names its user.
  const r = ref.trim().replace(/^<@([A-Z0-9]+)>$/, '$1').replace(/^@/, '').toLowerCase();
  return team.people.find(
    (p) => p.id.toLowerCase() === r || p.name.toLowerCase() === r || p.slackId?.toLowerCase() === r || p.discordId === r,
  );
}

/** A person's user id on a chat platform, where they have one. */
export function chatId(person: Person | undefined, platform: Platform): string | undefined {
  if (!person) return undefined;
  return platform === 'slack' ? person.slackId : platform === 'discord' ? person.discordId : undefined;
}

/**
 * Where a message for these channel purposes goes on a platform: the channels' ids, plus the
 * executive sponsor's own id when the message pages them. The console has one destination.
 */
export function destinationsFor(team: Team, platform: Platform, purposes: readonly ChannelPurpose[], pageSponsor: boolean): string[] {
  if (platform === 'console') return ['console'];
  const ids = purposes.map((c) => team.channels[platform]?.[c]);
  // A person (not a channel) is addressed as user:<id> on Discord, where both are bare numbers.
  const sponsor = chatId(executiveSponsor(team), platform);
  if (pageSponsor && sponsor) ids.push(platform === 'discord' ? `user:${sponsor}` : sponsor);
  return [...new Set(ids.filter((d): d is string => Boolean(d)))];
}
