import { allowedText } from './args.js';
import type { ResolvedCommand } from './command.js';
import { objectFields } from './schema-fields.js';
import { bullets, context, header, reply, text, type Reply } from '../reply/reply.js';

/** Usage of one command, generated from its schema so that help never drifts from what is accepted. */
export function commandHelp({ def, schema }: ResolvedCommand): Reply {
  const aliasesOf = (name: string) =>
    Object.entries(def.aliases ?? {})
      .filter(([, target]) => target === name)
      .map(([alias]) => alias);
  const lines = objectFields(schema).map((f) => {
    const alias = aliasesOf(f.name);
    const name = alias.length ? `${f.name} (or ${alias.join(', ')})` : f.name;
    const dflt = f.required ? 'required' : f.defaultValue !== undefined ? `default ${String(f.defaultValue)}` : 'optional';
    return `\`${name}\`: ${f.description ?? ''} ${allowedText(f)}; ${dflt}.`.replace(/ {2,}/g, ' ');
  });
  return reply(`/${def.name}: ${def.description}`, [
    header(`/${def.name}`),
    text(def.description),
    text(`**Options** (as \`key=value\`, or bare words in this order)\n${bullets(lines)}`),
    text(`**Examples**\n${def.examples.map((e) => `\`${e}\``).join('\n')}`),
    context(`Type \`/${def.name} help\` to see this again.`),
  ]);
}
