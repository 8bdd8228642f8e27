import { alignColumns } from './columns.js';
import { withNames } from './inline.js';
import type { Block, Reply } from './reply.js';

/** Plain text for the console and logs: marks removed, people by name, tables aligned, buttons listed as commands. */
export const plain = (s: string) => withNames(s).replace(/\*\*(.+?)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1');

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'header':
      return `== ${plain(block.text)} ==`;
    case 'text':
      return plain(block.text);
    case 'fields': {
      const width = Math.max(...block.fields.map((f) => withNames(f.label).length));
      return block.fields
        .map((f) => {
          const [first = '', ...rest] = plain(f.value).split('\n');
          return [`${withNames(f.label).padEnd(width)}  ${first}`, ...rest.map((r) => `${' '.repeat(width)}  ${r}`)].join('\n');
        })
        .join('\n');
    }
    case 'table': {
      return alignColumns(block.columns.map(withNames), block.rows.map((r) => r.map(withNames)), true).join('\n');
    }
    case 'actions':
      return block.buttons.map((b) => (b.typed ? `[${withNames(b.label)}: type ${b.typed}]` : `[${withNames(b.label)}]`)).join(' ');
    case 'divider':
      return '----';
    case 'context':
      return plain(block.text);
  }
}

export function toText(reply: Reply): string {
  return reply.blocks.length === 0 ? plain(reply.summary) : reply.blocks.map(renderBlock).join('\n');
}
