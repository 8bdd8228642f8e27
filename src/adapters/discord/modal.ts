import type { ResolvedOperation } from '../../core/command.js';
import { objectFields } from '../../core/schema-fields.js';

/** Discord's published limits for a modal. */
export const DISCORD_MODAL_MAX_INPUTS = 5;
export const DISCORD_MODAL_TITLE_MAX_CHARS = 45;
export const DISCORD_TEXT_INPUT_LABEL_MAX_CHARS = 45;
export const DISCORD_TEXT_INPUT_MAX_CHARS = 4000;
export const DISCORD_MODAL_CUSTOM_ID_MAX_LENGTH = 100;
const TEXT_INPUT_SHORT = 1;
const TEXT_INPUT_PARAGRAPH = 2;

/** "form:desk changes": the operation a submitted modal belongs to. */
const PREFIX = 'form:';
export const pathFromModalId = (customId: string): string | null => (customId.startsWith(PREFIX) ? customId.slice(PREFIX.length) : null);

const label = (name: string) => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

/**
 * A Discord modal with one text input per schema field, pre-filled: the same fields the slash
 * command takes. Null when the operation has more fields than a modal holds; the caller then
 * answers with what to type instead.
 */
export function discordModal(target: ResolvedOperation, values: Record<string, string> = {}): Record<string, unknown> | null {
  const fields = objectFields(target.schema);
  const customId = `${PREFIX}${target.path}`;
  if (fields.length === 0 || fields.length > DISCORD_MODAL_MAX_INPUTS || customId.length > DISCORD_MODAL_CUSTOM_ID_MAX_LENGTH) return null;
  return {
    custom_id: customId,
    title: `/${target.path}`.slice(0, DISCORD_MODAL_TITLE_MAX_CHARS),
    components: fields.map((f) => {
      const value = values[f.name] ?? (f.defaultValue !== undefined ? String(f.defaultValue) : undefined);
      return {
        type: 1,
        components: [
          {
            type: 4,
            custom_id: f.name,
            label: label(f.name).slice(0, DISCORD_TEXT_INPUT_LABEL_MAX_CHARS),
            style: /plan|note|reason/.test(f.name) ? TEXT_INPUT_PARAGRAPH : TEXT_INPUT_SHORT,
            required: f.required,
            max_length: Math.min(f.maxLength ?? DISCORD_TEXT_INPUT_MAX_CHARS, DISCORD_TEXT_INPUT_MAX_CHARS),
            ...(value !== undefined ? { value: value.slice(0, DISCORD_TEXT_INPUT_MAX_CHARS) } : {}),
            ...(f.options?.length ? { placeholder: f.options.join(', ').slice(0, 100) } : {}),
          },
        ],
      };
    }),
  };
}
