// Builds dist/ only when a source is newer than the last build, so `npm start` and `npm run cli`
// answer at once on a built install instead of rebuilding on every call. Cheap: one stat per file.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = `${process.env.BUILD_OUT ?? 'dist'}/.built`;
const SOURCES = ['src', 'commands', 'schedules', 'scripts/build.mjs', 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), 0);
}

const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
if (SOURCES.some((p) => newest(p) > built)) {
  try {
    await import('esbuild');
  } catch {
    console.error('dist/ is older than the sources, and esbuild (a dev dependency) is not installed: run `npm ci && npm run build`, or deploy/update.sh.');
    process.exit(1);
  }
  await import('./build.mjs');
}
