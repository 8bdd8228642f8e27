/**
 * Who may see and move a quote (playbook §55): a sales rep their own, the revenue managers, pricing
 * admins and executives every one. "Own" is the asker's platform id, or any id of the same team
 * person, so a rep who asked in Slack can mark the quote won from Discord.
 */
import type { Platform, Role } from './actor.js';
import type { Person } from './team.js';

export const SEES_ALL_QUOTES: readonly Role[] = ['revenue_manager', 'pricing_admin', 'executive'];

export interface Identity {
  platform: Platform;
  userId: string;
}

/** What a viewer is: their role and every id their quotes may be recorded under. */
export interface QuoteViewer {
  role: Role;
  identities: readonly Identity[];
}

/**
 * A person answers to their chat ids, their console user, and their team id over HTTP (the
 * X-Actor-Id a quote asked through the API is recorded under); anyone else only to the id they
 * came with.
 */
export function identitiesOf(person: Person | undefined, actor: Identity): Identity[] {
  const ids: Identity[] = [actor];
  if (person) {
    if (person.slackId) ids.push({ platform: 'slack', userId: person.slackId });
    if (person.discordId) ids.push({ platform: 'discord', userId: person.discordId });
    if (person.consoleUser) ids.push({ platform: 'console', userId: person.consoleUser });
    ids.push({ platform: 'http', userId: person.id });
  }
  const seen = new Set<string>();
  return ids.filter((i) => {
    const key = `${i.platform}\u0000${i.userId}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export const seesAllQuotes = (role: Role): boolean => SEES_ALL_QUOTES.includes(role);

export const askedBy = (quote: Identity, viewer: QuoteViewer): boolean =>
  viewer.identities.some((i) => i.platform === quote.platform && i.userId === quote.userId);

export const maySeeQuote = (quote: Identity, viewer: QuoteViewer): boolean => seesAllQuotes(viewer.role) || askedBy(quote, viewer);

/** Null when the viewer may move the quote (send, won, lost); else why not, naming who can. */
export function moveRefusal(quote: Identity & { id: string; userName: string }, viewer: QuoteViewer): string | null {
  if (maySeeQuote(quote, viewer)) return null;
  return `${quote.id} was asked by ${quote.userName}: only they, or a revenue manager, pricing admin or executive, can move it.`;
}
