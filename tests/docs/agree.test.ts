import { readFileSync } from 'node:fs';
import { GatewayIntentBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { discordIntents } from '../../src/adapters/discord/app.js';
import { envSchema } from '../../src/config.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const readme = read('README.md');
const example = read('.env.example');

/** The README's "Intents" bullet, and .env.example's comment that starts "Intents asked for". */
const intentDocs = {
  'README.md': /^- \*\*Intents\*\*:([\s\S]*?)\n(?=- |\n)/m.exec(readme)?.[1] ?? '',
  '.env.example': /^# Intents asked for:([\s\S]*?)\n(?!#)/m.exec(example)?.[1]?.replace(/^# /gm, '') ?? '',
};
const INTENT_NAMES = Object.keys(GatewayIntentBits).filter((k) => Number.isNaN(Number(k)));

/** The intents a text says are asked for: every intent named, except in a sentence that says "not" or "never". */
function intentsAskedFor(text: string): string[] {
  const sentences = text.replace(/\s+/g, ' ').split(/(?<=[.;])\s/);
  const asked = sentences.filter((s) => !/\b(not|never)\b/.test(s));
  return INTENT_NAMES.filter((name) => asked.some((s) => new RegExp(`\\b${name}\\b`).test(s))).sort();
}
const names = (bits: GatewayIntentBits[]) => bits.map((b) => GatewayIntentBits[b]).sort();

describe('the docs agree with the code', () => {
  it.each(Object.entries(intentDocs))('%s names the Discord intents the bot asks for, and when', (_file, text) => {
    expect(text).not.toBe('');
    expect(intentsAskedFor(text)).toEqual(names(discordIntents(true)));
    // Those asked for only with a help channel are said to depend on the community section.
    const conditional = names(discordIntents(true)).filter((n) => !names(discordIntents(false)).includes(n));
    for (const name of conditional) expect(text.replace(/\s+/g, ' ')).toMatch(new RegExp(`${name}\\W+(only )?when .{0,60}community`));
  });

  it("the README's configuration table lists every variable the bot reads, and nothing it does not", () => {
    const table = /^## Configuration\n[\s\S]*?\n(\|[\s\S]*?)\n\n/m.exec(readme)?.[1] ?? '';
    const listed = table.split('\n').flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect(listed.sort()).toEqual(Object.keys(envSchema.shape).sort());
  });
});
