/**
 * Inline elements inside a Reply's text. Text stays a string (so posts are easy to build and are
 * stored in the outbox as plain JSON), and a person is embedded as a neutral token that only
 * `mentionOf` writes and only the renderers read:
 *
 *   ⟦@Maria Lopez|slack=U0REVMGR01|discord=100000000000000001⟧
 *
 * A post is built once for every platform; each renderer turns the token into its own syntax
 * (`<@U…>` on Slack, `<@…>` on Discord, the name in plain text), so no post carries platform syntax.
 */

/** Who is mentioned: their name, and their user id on each chat platform where they have one. */
export interface MentionTarget {
  name: string;
  slackId?: string;
  discordId?: string;
}

export type Inline = { kind: 'text'; text: string } | ({ kind: 'mention' } & MentionTarget);

/** One function per inline kind: a renderer that misses a kind does not compile. */
export type InlineRenderers = { [K in Inline['kind']]: (part: Extract<Inline, { kind: K }>) => string };

const OPEN = '⟦@';
const CLOSE = '⟧';
const TOKEN = /⟦@([^|⟦⟧]*)((?:\|[a-z]+=[A-Za-z0-9]*)*)⟧/g;
// Chat user ids are letters and digits; anything else could break out of the token or the mention.
const ID = /^[A-Za-z0-9]+$/;

/** The only way to put a person in a post's text. */
export function mentionOf(person: MentionTarget): string {
  const name = person.name.replace(/[⟦⟧|]/g, ' ').trim() || 'someone';
  const ids = [
    person.slackId && ID.test(person.slackId) ? `|slack=${person.slackId}` : '',
    person.discordId && ID.test(person.discordId) ? `|discord=${person.discordId}` : '',
  ];
  return `${OPEN}${name}${ids.join('')}${CLOSE}`;
}

/** Splits text into plain runs and mentions, in order. */
export function splitInline(s: string): Inline[] {
  const parts: Inline[] = [];
  let at = 0;
  for (const m of s.matchAll(TOKEN)) {
    if (m.index > at) parts.push({ kind: 'text', text: s.slice(at, m.index) });
    const ids = Object.fromEntries((m[2] ?? '').split('|').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
    parts.push({ kind: 'mention', name: m[1] ?? '', ...(ids.slack ? { slackId: ids.slack } : {}), ...(ids.discord ? { discordId: ids.discord } : {}) });
    at = m.index + m[0].length;
  }
  if (at < s.length) parts.push({ kind: 'text', text: s.slice(at) });
  return parts;
}

export function renderInline(s: string, renderers: InlineRenderers): string {
  if (!s.includes(OPEN)) return s;
  return splitInline(s)
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return renderers.text(part);
        case 'mention':
          return renderers.mention(part);
      }
    })
    .join('');
}

/** Every mention as the person's name, for places no platform renders a mention (headers, code, plain text). */
export const withNames = (s: string): string => renderInline(s, { text: (p) => p.text, mention: (p) => `@${p.name}` });
