import { describe, expect, it } from 'vitest';
import { SLACK_MAX_BLOCKS, SLACK_SECTION_MAX_FIELDS, SLACK_SECTION_TEXT_MAX_CHARS, toBlockKit } from '../../src/reply/block-kit.js';
import { actions, context, divider, fields, header, reply, table, text } from '../../src/reply/reply.js';
import { toText } from '../../src/reply/text.js';

describe('toBlockKit', () => {
  it('renders each block type', () => {
    const message = toBlockKit(
      reply('sum **up**', [
        header('Title'),
        text('a **bold** `code`'),
        fields({ label: 'Price', value: '$1.00' }),
        table(['a', 'bb'], [['1', '2']]),
        actions({ action: 'exceptions.ack', label: 'Acknowledge', value: 'EX-1', style: 'primary' }),
        divider(),
        context('ctx'),
      ], 'channel'),
    );
    expect(message.text).toBe('sum *up*');
    expect(message.response_type).toBe('in_channel');
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Title', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'a *bold* `code`' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Price*\n$1.00' }] },
      { type: 'section', text: { type: 'mrkdwn', text: '```\na  bb\n1  2\n```' } },
      { type: 'actions', elements: [{ type: 'button', action_id: 'exceptions.ack', text: { type: 'plain_text', text: 'Acknowledge', emoji: true }, value: 'EX-1', style: 'primary' }] },
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'ctx' }] },
    ]);
  });

  it('splits fields into sections of at most ten', () => {
    const many = Array.from({ length: 23 }, (_, i) => ({ label: `f${i}`, value: String(i) }));
    const blocks = toBlockKit(reply('x', [fields(...many)])).blocks as { fields: unknown[] }[];
    expect(blocks.map((b) => b.fields.length)).toEqual([SLACK_SECTION_MAX_FIELDS, SLACK_SECTION_MAX_FIELDS, 3]);
  });

  it('truncates over-long text and caps the number of blocks', () => {
    const long = toBlockKit(reply('x', [text('y'.repeat(5000))])).blocks[0] as { text: { text: string } };
    expect(long.text.text).toHaveLength(SLACK_SECTION_TEXT_MAX_CHARS);
    expect(long.text.text.endsWith('…')).toBe(true);
    const blocks = toBlockKit(reply('x', Array.from({ length: 80 }, () => divider()))).blocks;
    expect(blocks).toHaveLength(SLACK_MAX_BLOCKS);
    expect(JSON.stringify(blocks.at(-1))).toContain('More was cut');
  });
});

describe('toText', () => {
  it('renders plain text with aligned fields and tables and no marks', () => {
    const out = toText(
      reply('s', [
        header('Title'),
        fields({ label: 'Price', value: '$1.00' }, { label: 'Gross margin', value: '**60%**\nline two' }),
        table(['segment', 'n'], [['smb', '3']]),
        actions({ action: 'a', label: 'Acknowledge', value: '1' }),
      ]),
    );
    expect(out).toBe(
      ['== Title ==', 'Price         $1.00', 'Gross margin  60%', '              line two', 'segment  n', '-------  -', 'smb      3', '[Acknowledge]'].join('\n'),
    );
  });
});
