import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Every command the README shows, in a code block or inline: what a reader would copy and paste. */
function readmeCommands(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].flatMap((m) => (m[1] ?? '').split('\n'));
  const inline = [...markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
  return [...fenced, ...inline].map((l) => l.replace(/\s+#\s.*$/, '').trim()).filter((l) => /^npm (run|start|test)\b/.test(l));
}

/** The file a command claims to write: `--out FILE` or a shell redirection `> FILE`. */
const OUTPUT = /(?:--out\s+|(?<![0-9&])>\s*)(\S+)/;
const writers = readmeCommands(readme)
  .map((command) => ({ command, target: OUTPUT.exec(command)?.[1] }))
  .filter((w): w is { command: string; target: string } => w.target !== undefined);

describe('README commands that write a file', () => {
  it('include one for every generated file in deploy/, so none is left without a documented way to regenerate it', () => {
    // The Grafana dashboard is written by hand, not generated; tests/metrics checks it against /metrics.
    const generated = readdirSync(join(root, 'deploy')).filter((f) => f.endsWith('.json') && f !== 'grafana-dashboard.json').map((f) => `deploy/${f}`);
    expect(generated.length).toBeGreaterThan(0);
    expect([...new Set(writers.map((w) => w.target))].sort()).toEqual(generated.sort());
  });

  // Run exactly as a reader would paste it (through npm, from the project root), writing to a temporary
  // file instead of the committed one: what lands there must be the committed file, byte for byte.
  it.each(writers)('$command writes valid JSON identical to the committed $target', async ({ command, target }) => {
    const out = join(mkdtempSync(join(tmpdir(), 'j1msky-readme-')), target.replace(/\//g, '_'));
    // A clean environment: no chat tokens or data paths of the developer's shell change what is generated.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() };
    await run('sh', ['-c', command.replace(target, out)], { cwd: root, env, timeout: 60_000 });
    const written = readFileSync(out, 'utf8');
    const committed = readFileSync(join(root, target), 'utf8');
    expect(() => JSON.parse(written) as unknown, `${command} wrote something that is not JSON:\n${written.slice(0, 300)}`).not.toThrow();
    expect(JSON.parse(written)).toEqual(JSON.parse(committed));
    expect(written).toBe(committed);
  }, 60_000);
});
