import { alignColumns } from './columns.js';
import { renderInline, withNames } from './inline.js';
import type { Block, Reply } from './reply.js';

/** Slack's published Block Kit limits. */
export const SLACK_MAX_BLOCKS = 50;
export const SLACK_HEADER_MAX_CHARS = 150;
export const SLACK_SECTION_TEXT_MAX_CHARS = 3000;
export const SLACK_SECTION_MAX_FIELDS = 10;
export const SLACK_FIELD_TEXT_MAX_CHARS = 2000;
export const SLACK_CONTEXT_TEXT_MAX_CHARS = 3000;
export const SLACK_ACTIONS_MAX_ELEMENTS = 25;
export const SLACK_BUTTON_TEXT_MAX_CHARS = 75;
export const SLACK_ACTION_ID_MAX_CHARS = 255;
export const SLACK_BUTTON_VALUE_MAX_CHARS = 2000;
export const SLACK_MESSAGE_TEXT_MAX_CHARS = 40000;

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
  response_type: 'ephemeral' | 'in_channel';
}

const truncate = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** A mention is Slack's `<@U…>` where the person has a Slack id, else their name. */
const slackMentions = (s: string) => renderInline(s, { text: (p) => p.text, mention: (p) => (p.slackId ? `<@${p.slackId}>` : `@${p.name}`) });

/** Neutral text to Slack mrkdwn: mentions rendered; **bold** becomes *bold*; `code` is the same. */
export const toMrkdwn = (s: string) => slackMentions(s).replace(/\*\*(.+?)\*\*/g, '*$1*');

/** Slack shows plain_text and code blocks as typed, so a mention there is the person's name. */
const plainText = (s: string, max: number) => ({ type: 'plain_text', text: truncate(withNames(s), max), emoji: true });

const mrkdwn = (s: string, max: number) => ({ type: 'mrkdwn', text: truncate(toMrkdwn(s), max) });

function tableText(columns: string[], rows: string[][]): string {
  return ['```', ...alignColumns(columns.map(withNames), rows.map((r) => r.map(withNames))), '```'].join('\n');
}

function renderBlock(block: Block): Record<string, unknown>[] {
  switch (block.type) {
    case 'header':
      return [{ type: 'header', text: plainText(block.text, SLACK_HEADER_MAX_CHARS) }];
    case 'text':
      return [{ type: 'section', text: mrkdwn(block.text, SLACK_SECTION_TEXT_MAX_CHARS) }];
    case 'fields': {
      const sections: Record<string, unknown>[] = [];
      for (let i = 0; i < block.fields.length; i += SLACK_SECTION_MAX_FIELDS) {
        sections.push({
          type: 'section',
          fields: block.fields
            .slice(i, i + SLACK_SECTION_MAX_FIELDS)
            .map((f) => mrkdwn(`**${f.label}**\n${f.value}`, SLACK_FIELD_TEXT_MAX_CHARS)),
        });
      }
      return sections;
    }
    case 'table':
      return [{ type: 'section', text: { type: 'mrkdwn', text: truncate(tableText(block.columns, block.rows), SLACK_SECTION_TEXT_MAX_CHARS) } }];
    case 'actions':
      return [
        {
          type: 'actions',
          elements: block.buttons.slice(0, SLACK_ACTIONS_MAX_ELEMENTS).map((b) => ({
            type: 'button',
            action_id: truncate(b.action, SLACK_ACTION_ID_MAX_CHARS),
            text: plainText(b.label, SLACK_BUTTON_TEXT_MAX_CHARS),
            value: truncate(b.value, SLACK_BUTTON_VALUE_MAX_CHARS),
            ...(b.style ? { style: b.style } : {}),
          })),
        },
      ];
    case 'divider':
      return [{ type: 'divider' }];
    case 'context':
      return [{ type: 'context', elements: [mrkdwn(block.text, SLACK_CONTEXT_TEXT_MAX_CHARS)] }];
  }
}

export function toBlockKit(reply: Reply): SlackMessage {
  const blocks = reply.blocks.flatMap(renderBlock);
  if (blocks.length > SLACK_MAX_BLOCKS) {
    blocks.length = SLACK_MAX_BLOCKS - 1;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: '_More was cut to fit one Slack message._' }] });
  }
  return {
    text: truncate(toMrkdwn(reply.summary), SLACK_MESSAGE_TEXT_MAX_CHARS),
    blocks,
    response_type: reply.visibility === 'channel' ? 'in_channel' : 'ephemeral',
  };
}
