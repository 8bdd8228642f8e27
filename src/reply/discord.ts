import { alignColumns } from './columns.js';
import { renderInline, withNames } from './inline.js';
import type { Block, Reply } from './reply.js';

/** Discord's published message limits. */
export const DISCORD_CONTENT_MAX_CHARS = 2000;
export const DISCORD_EMBED_TITLE_MAX_CHARS = 256;
export const DISCORD_EMBED_DESCRIPTION_MAX_CHARS = 4096;
export const DISCORD_EMBED_MAX_FIELDS = 25;
export const DISCORD_FIELD_NAME_MAX_CHARS = 256;
export const DISCORD_FIELD_VALUE_MAX_CHARS = 1024;
export const DISCORD_EMBED_FOOTER_MAX_CHARS = 2048;
export const DISCORD_EMBED_TOTAL_MAX_CHARS = 6000;
export const DISCORD_MAX_ACTION_ROWS = 5;
export const DISCORD_BUTTONS_PER_ROW = 5;
export const DISCORD_BUTTON_LABEL_MAX_CHARS = 80;
export const DISCORD_CUSTOM_ID_MAX_LENGTH = 100;
/** Message flag: only the person who asked sees it. */
export const DISCORD_FLAG_EPHEMERAL = 64;

const BUTTON_STYLE = { primary: 1, secondary: 2, danger: 4 } as const;

export interface DiscordMessage {
  content?: string;
  embeds: Record<string, unknown>[];
  components: Record<string, unknown>[];
  flags?: number;
}

const truncate = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** A button carries `command.action:rowId`; an id that would not fit is refused, never cut. */
export function customId(action: string, value: string): string {
  const id = `${action}:${value}`;
  if (id.length > DISCORD_CUSTOM_ID_MAX_LENGTH) throw new Error(`custom id over ${DISCORD_CUSTOM_ID_MAX_LENGTH} characters: ${action}`);
  return id;
}

export function parseCustomId(id: string): { action: string; value: string } | null {
  const at = id.indexOf(':');
  return at > 0 ? { action: id.slice(0, at), value: id.slice(at + 1) } : null;
}

/** Discord shows code blocks, titles, footers and labels as typed, so a mention there is the person's name. */
function tableText(columns: string[], rows: string[][]): string {
  return ['```', ...alignColumns(columns.map(withNames), rows.map((r) => r.map(withNames))), '```'].join('\n');
}

/** A mention is Discord's `<@id>` where the person has a Discord id, else their name. */
const rich = (s: string) => renderInline(s, { text: (p) => p.text, mention: (p) => (p.discordId ? `<@${p.discordId}>` : `@${p.name}`) });

/** Neutral marks are Discord's own markdown: **bold** and `code` pass through; mentions are rendered. */
export function toDiscord(reply: Reply): DiscordMessage {
  let title: string | undefined;
  const description: string[] = [];
  const fields: { name: string; value: string; inline: boolean }[] = [];
  const footer: string[] = [];
  const buttons: Record<string, unknown>[] = [];
  const add = (block: Block) => {
    switch (block.type) {
      case 'header':
        title ??= withNames(block.text);
        if (title !== withNames(block.text)) description.push(`**${rich(block.text)}**`);
        return;
      case 'text':
        description.push(rich(block.text));
        return;
      case 'fields':
        for (const f of block.fields) fields.push({ name: truncate(withNames(f.label), DISCORD_FIELD_NAME_MAX_CHARS), value: truncate(rich(f.value) || '—', DISCORD_FIELD_VALUE_MAX_CHARS), inline: true });
        return;
      case 'table':
        description.push(tableText(block.columns, block.rows));
        return;
      case 'actions':
        for (const b of block.buttons) {
          buttons.push({ type: 2, style: BUTTON_STYLE[b.style ?? 'secondary'], label: truncate(withNames(b.label), DISCORD_BUTTON_LABEL_MAX_CHARS), custom_id: customId(b.action, b.value) });
        }
        return;
      case 'divider':
        description.push('');
        return;
      case 'context':
        footer.push(withNames(block.text));
        return;
    }
  };
  reply.blocks.forEach(add);

  const embed: Record<string, unknown> = {};
  let budget = DISCORD_EMBED_TOTAL_MAX_CHARS;
  const take = (s: string, max: number) => {
    const t = truncate(s, Math.max(1, Math.min(max, budget)));
    budget -= t.length;
    return t;
  };
  if (title) embed.title = take(title, DISCORD_EMBED_TITLE_MAX_CHARS);
  if (description.length) embed.description = take(description.join('\n'), DISCORD_EMBED_DESCRIPTION_MAX_CHARS);
  const kept: typeof fields = [];
  for (const f of fields.slice(0, DISCORD_EMBED_MAX_FIELDS)) {
    if (budget < f.name.length + f.value.length) break;
    budget -= f.name.length + f.value.length;
    kept.push(f);
  }
  if (kept.length) embed.fields = kept;
  if (footer.length && budget > 1) embed.footer = { text: take(footer.join(' · '), DISCORD_EMBED_FOOTER_MAX_CHARS) };

  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < buttons.length && rows.length < DISCORD_MAX_ACTION_ROWS; i += DISCORD_BUTTONS_PER_ROW) {
    rows.push({ type: 1, components: buttons.slice(i, i + DISCORD_BUTTONS_PER_ROW) });
  }
  return {
    content: truncate(rich(reply.summary), DISCORD_CONTENT_MAX_CHARS),
    embeds: Object.keys(embed).length ? [embed] : [],
    components: rows,
    ...(reply.visibility === 'ephemeral' ? { flags: DISCORD_FLAG_EPHEMERAL } : {}),
  };
}
