/**
 * The platform-neutral reply. Handlers build it; toBlockKit, toText (and later toDiscord) render it.
 * Text may use two marks that every renderer understands: **bold** and `code`.
 */
export type Block =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: Field[] }
  | { type: 'table'; columns: string[]; rows: string[][] }
  | { type: 'actions'; buttons: Button[] }
  | { type: 'divider' }
  | { type: 'context'; text: string };

export interface Field {
  label: string;
  value: string;
}

export interface Button {
  /** The action handler's id, `command.action`. */
  action: string;
  label: string;
  /** A row id, never state. */
  value: string;
  style?: 'primary' | 'danger';
  /** What to type instead, on surfaces with no buttons (the console). */
  typed?: string;
}

export interface Reply {
  /** One line for notifications and for clients that show no blocks. */
  summary: string;
  blocks: Block[];
  /** Ephemeral replies are shown only to the person who asked. */
  visibility: 'ephemeral' | 'channel';
  /** Set on replies that report a problem, so adapters can choose an HTTP status or an icon. */
  error?: { code: string; ref?: string; field?: string; allowed?: string };
  /** The structured result, for the HTTP API; chat surfaces render the blocks instead. */
  data?: unknown;
}

export const header = (text: string): Block => ({ type: 'header', text });
export const text = (t: string): Block => ({ type: 'text', text: t });
export const fields = (...f: Field[]): Block => ({ type: 'fields', fields: f });
export const context = (t: string): Block => ({ type: 'context', text: t });
export const divider = (): Block => ({ type: 'divider' });
export const table = (columns: string[], rows: string[][]): Block => ({ type: 'table', columns, rows });
export const actions = (...buttons: Button[]): Block => ({ type: 'actions', buttons });

export function reply(summary: string, blocks: Block[], visibility: Reply['visibility'] = 'ephemeral'): Reply {
  return { summary, blocks, visibility };
}

export const bullets = (items: readonly string[]): string => items.map((i) => `• ${i}`).join('\n');
