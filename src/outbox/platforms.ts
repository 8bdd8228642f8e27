import type { AppConfig } from '../config.js';
import type { Platform } from '../domain/actor.js';
import { destinationsFor, type ChannelPurpose, type Team } from '../domain/team.js';

/**
 * The platforms that messages are queued for: the one answer shared by the bot and the CLI, so a
 * slot the CLI posts is queued for the same platforms the clock would queue it for.
 *
 * Slack and Discord when their tokens are set. The console when it is open in this process, or
 * when the bot opens one: CONSOLE=on, or CONSOLE=auto with no chat platform (the console is the
 * embedded default then). A bot running as a service with no terminal, or the CLI, still queues
 * for that console, and it prints what waited for it when it next opens, so nothing is marked
 * posted while going nowhere.
 */
export function deliveryPlatforms(config: Pick<AppConfig, 'slack' | 'discord' | 'console'>, consoleOpen = false): Platform[] {
  const chat: Platform[] = [...(config.slack ? (['slack'] as const) : []), ...(config.discord ? (['discord'] as const) : [])];
  const console = consoleOpen === true || config.console === 'on' || (config.console === 'auto' && chat.length === 0);
  return console ? [...chat, 'console'] : chat;
}

export interface Destination {
  platform: Platform;
  destination: string;
}

/** Where a message for these channel purposes goes on each delivering platform. */
export function destinationsOn(team: Team, platforms: readonly Platform[], purposes: readonly ChannelPurpose[], pageSponsor = false): Destination[] {
  return platforms.flatMap((platform) => destinationsFor(team, platform, purposes, pageSponsor).map((destination) => ({ platform, destination })));
}

/** "slack (C0OPS00001), discord (2000…)": where a message went, for a person at the CLI. */
export function describeDestinations(destinations: readonly Destination[]): string {
  const byPlatform = new Map<Platform, string[]>();
  for (const d of destinations) byPlatform.set(d.platform, [...(byPlatform.get(d.platform) ?? []), d.destination]);
  return [...byPlatform]
    .map(([platform, ids]) => (platform === 'console' ? 'the console (printed when it next opens)' : `${platform} (${ids.join(', ')})`))
    .join(', ');
}
