import { renameSync, writeFileSync } from 'node:fs';

/**
 * Where a generator's JSON goes: `--out FILE`, or stdout. With `--out` the file is written only
 * once the JSON is complete (a temporary file renamed over it), so nothing else that reaches the
 * terminal (npm's script banner, a warning) can end up in a committed deploy/*.json, and a failed
 * run leaves the old file as it was.
 */
export function writeJson(args: readonly string[], value: unknown): void {
  const json = `${JSON.stringify(value, null, 2)}\n`;
  const at = args.indexOf('--out');
  if (at < 0) {
    process.stdout.write(json);
    return;
  }
  const path = args[at + 1];
  if (!path || path.startsWith('--')) {
    process.stderr.write('--out needs the file to write, e.g. --out deploy/slack-manifest.json\n');
    process.exit(2);
  }
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, json);
  renameSync(partial, path);
  process.stderr.write(`Wrote ${path}\n`);
}
