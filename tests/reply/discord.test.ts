import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { discordCommands, DISCORD_OPTION_INTEGER, DISCORD_OPTION_STRING, DISCORD_OPTION_SUB_COMMAND } from '../../src/adapters/discord/registration.js';
import { createRegistry } from '../../src/core/command.js';
import {
  DISCORD_BUTTONS_PER_ROW, DISCORD_CUSTOM_ID_MAX_LENGTH, DISCORD_EMBED_MAX_FIELDS, DISCORD_EMBED_TOTAL_MAX_CHARS,
  DISCORD_FLAG_EPHEMERAL, DISCORD_MAX_ACTION_ROWS, customId, parseCustomId, toDiscord,
} from '../../src/reply/discord.js';
import { actions, context, fields, header, reply, table, text } from '../../src/reply/reply.js';
import { seedCatalog } from '../helpers/seed.js';

describe('toDiscord', () => {
  it('renders a reply as one embed with fields, a footer and button rows', () => {
    const m = toDiscord(reply('sum', [
      header('Quote Q-00001'), text('a **bold** `code`'), fields({ label: 'Price', value: '$1.00' }),
      table(['a', 'bb'], [['1', '2']]), actions({ action: 'exceptions.ack', label: 'Acknowledge', value: '7', style: 'primary' }), context('policy v1'),
    ]));
    expect(m).toEqual({
      content: 'sum',
      embeds: [{ title: 'Quote Q-00001', description: 'a **bold** `code`\n```\na  bb\n1  2\n```', fields: [{ name: 'Price', value: '$1.00', inline: true }], footer: { text: 'policy v1' } }],
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Acknowledge', custom_id: 'exceptions.ack:7' }] }],
      flags: DISCORD_FLAG_EPHEMERAL,
    });
  });

  it('keeps within Discord’s limits: 25 fields, 6,000 characters, 5 buttons a row, 5 rows', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ label: `f${i}`, value: 'v'.repeat(900) }));
    const buttons = Array.from({ length: 30 }, (_, i) => ({ action: 'a.b', label: `b${i}`, value: String(i) }));
    const m = toDiscord(reply('x', [header('t'), text('y'.repeat(5000)), fields(...many), actions(...buttons)], 'channel'));
    const embed = m.embeds[0] as { title: string; description: string; fields: { name: string; value: string }[] };
    expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_EMBED_MAX_FIELDS);
    const total = embed.title.length + embed.description.length + embed.fields.reduce((s, f) => s + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(DISCORD_EMBED_TOTAL_MAX_CHARS);
    expect(m.components).toHaveLength(DISCORD_MAX_ACTION_ROWS);
    expect((m.components[0] as { components: unknown[] }).components).toHaveLength(DISCORD_BUTTONS_PER_ROW);
    expect(m.flags).toBeUndefined();
  });

  it('refuses a custom id over 100 characters rather than cutting the row id off', () => {
    expect(parseCustomId(customId('exceptions.ack', '12'))).toEqual({ action: 'exceptions.ack', value: '12' });
    expect(() => customId('exceptions.ack', 'x'.repeat(DISCORD_CUSTOM_ID_MAX_LENGTH))).toThrow(/over 100/);
  });
});

describe('Discord registration generated from the registry', () => {
  const generated = discordCommands(createRegistry(commands, seedCatalog));

  it('registers every command and subcommand, with enums as choices, bounds on numbers, and required first', () => {
    expect(generated.map((c) => c.name)).toEqual(commands.map((c) => c.name));
    const quote = generated.find((c) => c.name === 'quote') as { options: { name: string; type: number; options: Record<string, unknown>[] }[] };
    expect(quote.options.map((o) => [o.name, o.type])).toEqual(['run', 'assign', 'show', 'send', 'won', 'lost'].map((n) => [n, DISCORD_OPTION_SUB_COMMAND]));
    const run = quote.options[0]?.options ?? [];
    expect(run.slice(0, 4).map((o) => o.name)).toEqual(['complexity', 'segment', 'input', 'output']);
    expect(run.find((o) => o.name === 'input')).toMatchObject({ type: DISCORD_OPTION_INTEGER, min_value: 0, max_value: 100_000_000, required: true });
    expect(run.find((o) => o.name === 'model')).toMatchObject({ type: DISCORD_OPTION_STRING, required: false, choices: [{ name: 'k2p5', value: 'k2p5' }, { name: 'sonnet', value: 'sonnet' }, { name: 'opus', value: 'opus' }] });
    const exceptions = generated.find((c) => c.name === 'exceptions') as { options: { name: string }[] };
    expect(exceptions.options.map((o) => o.name)).toEqual(['list', 'add', 'show', 'progress', 'close', 'risk', 'ack']);
  });
});
