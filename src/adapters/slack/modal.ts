import type { ResolvedOperation } from '../../core/command.js';
import { allowedText } from '../../core/args.js';
import { objectFields, type FieldInfo } from '../../core/schema-fields.js';

/** Slack's limits for a modal. */
export const SLACK_MODAL_TITLE_MAX_CHARS = 24;
export const SLACK_MODAL_MAX_BLOCKS = 100;
export const SLACK_PRIVATE_METADATA_MAX_CHARS = 3000;
export const SLACK_SELECT_MAX_OPTIONS = 100;

/** "cmd:quote", "cmd:exceptions:add": the operation a submitted form belongs to. */
export const modalCallbackId = (path: string) => `cmd:${path.replace(/\s+/g, ':')}`;
export const pathFromCallbackId = (callbackId: string) => callbackId.replace(/^cmd:/, '').replace(/:/g, ' ');

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const label = (name: string) => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

function element(field: FieldInfo, prefill?: string): Record<string, unknown> {
  const initialValue = prefill ?? (field.defaultValue !== undefined ? String(field.defaultValue) : undefined);
  if (field.kind === 'enum') {
    const options = (field.options ?? []).slice(0, SLACK_SELECT_MAX_OPTIONS).map((o) => ({ text: plain(o), value: o }));
    const initial = options.find((o) => o.value === initialValue);
    return { type: 'static_select', action_id: 'value', options, ...(initial ? { initial_option: initial } : {}) };
  }
  if (field.kind === 'number') {
    return {
      type: 'number_input',
      action_id: 'value',
      is_decimal_allowed: !field.integer,
      ...(field.min !== undefined ? { min_value: String(field.min) } : {}),
      ...(field.max !== undefined ? { max_value: String(field.max) } : {}),
      ...(initialValue !== undefined ? { initial_value: initialValue } : {}),
    };
  }
  const long = /plan|note|reason|memo|changes|rationale|drift|expected|criteria/.test(field.name);
  return { type: 'plain_text_input', action_id: 'value', multiline: long, ...(initialValue !== undefined ? { initial_value: initialValue } : {}) };
}

/** A modal with one input per schema field: the same fields the slash command takes. */
export function commandModal(
  target: ResolvedOperation,
  metadata: { channelId?: string },
  values: Record<string, string> = {},
): Record<string, unknown> {
  const { path, schema } = target;
  return {
    type: 'modal',
    callback_id: modalCallbackId(path),
    title: plain(`/${path}`.slice(0, SLACK_MODAL_TITLE_MAX_CHARS)),
    submit: plain('Submit'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata).slice(0, SLACK_PRIVATE_METADATA_MAX_CHARS),
    blocks: objectFields(schema)
      .slice(0, SLACK_MODAL_MAX_BLOCKS)
      .map((f) => ({
        type: 'input',
        block_id: f.name,
        optional: !f.required,
        label: plain(label(f.name)),
        hint: plain(`${f.description ?? ''} ${allowedText(f)}`.replace(/,\s*$/, '').trim()),
        element: element(f, values[f.name]),
      })),
  };
}

type StateValue = { type: string; value?: string | null; selected_option?: { value: string } | null };

/** Reads a submitted modal back into named values; empty inputs are left out so defaults apply. */
export function modalFields(values: Record<string, Record<string, StateValue>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actionsById] of Object.entries(values)) {
    const v = actionsById.value;
    const value = v?.selected_option?.value ?? v?.value ?? undefined;
    if (value !== undefined && value !== null && value !== '') out[blockId] = value;
  }
  return out;
}
