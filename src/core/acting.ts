import type { Platform, Role } from '../domain/actor.js';
import { findPerson, resolvePerson, type Person } from '../domain/team.js';
import type { CommandContext } from './command.js';

/**
 * The team member acting. Chat platforms identify people by their ids in data/team.json; the HTTP
 * API names one in X-Actor-Id (a team id), trusted only when the API requires its token: without
 * one, anybody on the loopback could claim to be an executive.
 */
export function actingPerson(ctx: Pick<CommandContext, 'actor' | 'catalog' | 'config'>): Person | undefined {
  const { team } = ctx.catalog;
  if (ctx.actor.platform === 'http') return ctx.config.apiToken ? resolvePerson(team, ctx.actor.userId) : undefined;
  return findPerson(team, ctx.actor.platform, ctx.actor.userId);
}

/** The acting person's role, or the adapter's (a mapped Discord role, else sales_rep). */
export const actingRole = (ctx: Pick<CommandContext, 'actor' | 'catalog' | 'config'>, person = actingPerson(ctx)): Role => person?.role ?? ctx.actor.role;

/** The team person who asked for a quote, by the same rule as the actor (an HTTP id only behind the token). */
export function askerPerson(ctx: Pick<CommandContext, 'catalog' | 'config'>, quote: { platform: Platform; userId: string }): Person | undefined {
  if (quote.platform === 'http') return ctx.config.apiToken ? resolvePerson(ctx.catalog.team, quote.userId) : undefined;
  return findPerson(ctx.catalog.team, quote.platform, quote.userId);
}
