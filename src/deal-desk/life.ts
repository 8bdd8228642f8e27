import { actingPerson } from '../core/acting.js';
import type { CommandContext } from '../core/command.js';
import { UserError } from '../core/errors.js';
import { identitiesOf, maySeeQuote, moveRefusal, type QuoteViewer } from '../domain/quote-access.js';
import type { QuoteEvent } from '../domain/quote-life.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import type { Person } from '../domain/team.js';
import type { QuoteHistoryEntry } from '../store/quote-history.js';
import { getQuote } from '../store/quotes.js';
import { moveQuote } from './move.js';

type Ctx = Pick<CommandContext, 'actor' | 'catalog' | 'config'>;

/** Who is looking, with every id their own quotes may be recorded under. */
export function viewerOf(ctx: Ctx): QuoteViewer & { person: Person | undefined } {
  const person = actingPerson(ctx);
  return { person, role: person?.role ?? ctx.actor.role, identities: identitiesOf(person, ctx.actor) };
}

/** A quote the actor may see (playbook §55), or a UserError: not_found, or forbidden naming why. */
export function requireVisibleQuote(ctx: CommandContext, id: string): QuoteRecord {
  const quote = getQuote(ctx.db, id);
  if (!quote) throw new UserError(`There is no quote \`${id.slice(0, 40)}\`. \`/quotes\` lists yours.`, 'not_found', { field: 'id' });
  const viewer = viewerOf(ctx);
  if (!maySeeQuote(quote, viewer)) {
    throw new UserError(`${quote.id} was asked by ${quote.userName}: a sales rep sees their own quotes; revenue managers, pricing admins and executives see all.`, 'forbidden', { field: 'id' });
  }
  return quote;
}

/**
 * A person moves a quote: its asker (by any of their ids) or a revenue manager, pricing admin or
 * executive. The state machine decides; an illegal move or a lost race writes nothing.
 */
export function moveByPerson(
  ctx: CommandContext,
  id: string,
  event: QuoteEvent,
  extra: { note?: string | null; detail?: Record<string, unknown> } = {},
): { quote: QuoteRecord; entry: QuoteHistoryEntry } {
  const quote = getQuote(ctx.db, id);
  if (!quote) throw new UserError(`There is no quote \`${id.slice(0, 40)}\`. \`/quotes\` lists yours.`, 'not_found', { field: 'id' });
  const viewer = viewerOf(ctx);
  const refusal = moveRefusal(quote, viewer);
  if (refusal) throw new UserError(refusal, 'forbidden', { field: 'id' });
  // The role recorded is the one the person holds (from data/team.json), which over HTTP the
  // adapter cannot know.
  const actor = { ...ctx.actor, role: viewer.role };
  const moved = ctx.db
    .transaction(() => moveQuote(ctx.db, { quote, event, actor, team: ctx.catalog.team, person: viewer.person ?? null, now: ctx.now, note: extra.note ?? null, detail: extra.detail }))
    .immediate();
  ctx.log.info({ quote: quote.id, from: quote.state, to: moved.quote.state }, 'quote moved');
  return moved;
}
