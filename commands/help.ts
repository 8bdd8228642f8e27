import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { bullets, context, header, reply, text } from '../src/reply/reply.js';

/** Lists every command. The registry is passed in so help always matches what is installed. */
export function helpCommand(list: () => readonly { name: string; description: string; examples: string[] }[]) {
  return defineCommand({
    name: 'help',
    description: 'List the commands this bot understands.',
    examples: ['/help'],
    input: () => z.strictObject({}),
    handler: () =>
      reply('Commands: ' + list().map((c) => `/${c.name}`).join(', '), [
        header('J1MSKY ops: commands'),
        text(bullets(list().map((c) => `\`/${c.name}\`: ${c.description}\n   e.g. \`${c.examples[0] ?? `/${c.name}`}\``))),
        context('Add `help` after any command for its options, e.g. `/quote help`.'),
      ]),
  });
}
