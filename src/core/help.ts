import { allowedText } from './args.js';
import type { ResolvedCommand, ResolvedOperation } from './command.js';
import { objectFields } from './schema-fields.js';
import { bullets, context, header, reply, text, type Reply } from '../reply/reply.js';

function optionLines({ op, schema }: ResolvedOperation): string[] {
  const aliasesOf = (name: string) =>
    Object.entries(op.aliases ?? {})
      .filter(([, target]) => target === name)
      .map(([alias]) => alias);
  return objectFields(schema).map((f) => {
    const alias = aliasesOf(f.name);
    const name = alias.length ? `${f.name} (or ${alias.join(', ')})` : f.name;
    const dflt = f.required ? 'required' : f.defaultValue !== undefined ? `default ${String(f.defaultValue)}` : 'optional';
    return `\`${name}\`: ${f.description ?? ''} ${allowedText(f)}; ${dflt}.`.replace(/ {2,}/g, ' ');
  });
}

/** Usage of a command or subcommand, generated from its schema so help never drifts from what is accepted. */
export function operationHelp(target: ResolvedOperation, command?: ResolvedCommand): Reply {
  const lines = optionLines(target);
  const subs = command ? [...command.subcommands.entries()] : [];
  return reply(`/${target.path}: ${target.op.description}`, [
    header(`/${target.path}`),
    text(target.op.description),
    ...(lines.length ? [text(`**Options** (as \`key=value\`, or bare words in this order)\n${bullets(lines)}`)] : []),
    ...(subs.length
      ? [text(`**Subcommands**\n${bullets(subs.map(([name, s]) => `\`/${s.path}\`: ${s.op.description}`))}`)]
      : []),
    text(`**Examples**\n${target.op.examples.map((e) => `\`${e}\``).join('\n')}`),
    context(`Type \`/${target.path} help\` to see this again.`),
  ]);
}
