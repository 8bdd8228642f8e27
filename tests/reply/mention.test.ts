import { describe, expect, it } from 'vitest';
import { seedCatalog } from '../helpers/seed.js';
import { toBlockKit } from '../../src/reply/block-kit.js';
import { toDiscord } from '../../src/reply/discord.js';
import { mentionOf, splitInline } from '../../src/reply/inline.js';
import { actions, context, fields, header, reply, table, text, type Reply } from '../../src/reply/reply.js';
import { toText } from '../../src/reply/text.js';

const person = (id: string) => {
  const p = seedCatalog.team.people.find((x) => x.id === id);
  if (!p) throw new Error(id);
  return p;
};
const maria = person('maria'); // Slack U0REVMGR01, Discord 100000000000000001
const eli = person('eli'); // Slack U0EXEC0001, Discord 100000000000000002
const nobody = { name: 'Lee Park' }; // on no chat platform

/** One post, built once, with mentions everywhere text can go. */
const post: Reply = reply(`Escalated to ${mentionOf(eli)}`, [
  header(`For ${mentionOf(maria)}`),
  text(`**For:** ${mentionOf(maria)} ${mentionOf(eli)} ${mentionOf(nobody)}`),
  fields({ label: 'Owner', value: mentionOf(maria) }),
  table(['who'], [[mentionOf(maria)]]),
  context(`Asked ${mentionOf(eli)}`),
  actions({ action: 'a.b', label: `Page ${mentionOf(eli)}`, value: '1' }),
], 'channel');

const slack = toBlockKit(post);
const discord = toDiscord(post);
const plain = toText(post);
const embed = discord.embeds[0] as { title: string; description: string; fields: { value: string }[]; footer: { text: string } };
const blocks = slack.blocks as Record<string, never>[];
const blockText = (i: number) => JSON.stringify(blocks[i]);

describe('a mention is one element of the Reply, written by each renderer in its own syntax', () => {
  it.each([
    // [where, rendered, expected]
    ['Slack notification text', slack.text, 'Escalated to <@U0EXEC0001>'],
    ['Slack section', blockText(1), '*For:* <@U0REVMGR01> <@U0EXEC0001> @Lee Park'],
    ['Slack field', blockText(2), '*Owner*\\n<@U0REVMGR01>'],
    ['Slack context', blockText(4), 'Asked <@U0EXEC0001>'],
    ['Slack header (plain_text shows no mention)', blockText(0), '"For @Maria Lopez"'],
    ['Slack table (code block)', blockText(3), '@Maria Lopez'],
    ['Slack button label', blockText(5), '"Page @Eli Brooks"'],
    ['Discord content', discord.content ?? '', 'Escalated to <@100000000000000002>'],
    ['Discord description', embed.description, '**For:** <@100000000000000001> <@100000000000000002> @Lee Park'],
    ['Discord field', embed.fields[0]?.value ?? '', '<@100000000000000001>'],
    ['Discord title (shows no mention)', embed.title, 'For @Maria Lopez'],
    ['Discord footer (shows no mention)', embed.footer.text, 'Asked @Eli Brooks'],
    ['plain text', plain, 'For: @Maria Lopez @Eli Brooks @Lee Park'],
    ['plain text header', plain, '== For @Maria Lopez =='],
    ['plain text field', plain, 'Owner  @Maria Lopez'],
  ])('%s', (_where, rendered, expected) => {
    expect(rendered).toContain(expected);
  });

  it.each([
    ['Slack', JSON.stringify(slack)],
    ['Discord', JSON.stringify(discord)],
    ['plain text', plain],
  ])('leaves no token and no other platform’s syntax on %s', (where, rendered) => {
    expect(rendered).not.toContain('⟦');
    if (where !== 'Slack') expect(rendered).not.toContain('<@U0');
    if (where !== 'Discord') expect(rendered).not.toContain('<@1000');
  });

  it('keeps the stored payload platform-neutral: it survives JSON and names every id, in no platform syntax', () => {
    const stored = JSON.parse(JSON.stringify(post)) as Reply;
    expect(JSON.stringify(stored)).not.toContain('<@');
    expect(toBlockKit(stored)).toEqual(slack);
    expect(toDiscord(stored)).toEqual(discord);
  });

  it.each([
    ['an ordinary person', maria, [{ kind: 'mention', name: 'Maria Lopez', slackId: 'U0REVMGR01', discordId: '100000000000000001' }]],
    ['no chat ids', nobody, [{ kind: 'mention', name: 'Lee Park' }]],
    ['a name with the token’s own characters', { name: 'A|B ⟧x⟦', slackId: 'U1' }, [{ kind: 'mention', name: 'A B  x', slackId: 'U1' }]],
    ['an id that is not letters and digits is dropped', { name: 'Mal', slackId: 'U1> <!channel', discordId: '12' }, [{ kind: 'mention', name: 'Mal', discordId: '12' }]],
    ['an empty name', { name: ' ' }, [{ kind: 'mention', name: 'someone' }]],
  ])('mentionOf round-trips: %s', (_case, who, parts) => {
    expect(splitInline(mentionOf(who))).toEqual(parts);
  });

  it('splits text around mentions, in order', () => {
    expect(splitInline(`a ${mentionOf(nobody)} b`)).toEqual([
      { kind: 'text', text: 'a ' }, { kind: 'mention', name: 'Lee Park' }, { kind: 'text', text: ' b' },
    ]);
  });
});
