import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureEnv } from '../helpers/seed.js';

const root = new URL('../..', import.meta.url).pathname;
// Inside the checkout, so the bundle resolves its external packages from node_modules as dist/ does.
const out = join(root, 'node_modules/.cache', `j1msky-build-test-${process.pid}`);
const env = { ...process.env, BUILD_OUT: out };
const node = (args: string[], extra: Record<string, string> = {}) =>
  spawnSync(process.execPath, args, { cwd: root, env: { ...env, ...extra }, encoding: 'utf8', timeout: 60_000 });

/** The modules a bundle file imports statically, and so loads before it runs (dynamic imports excluded). */
function staticImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/^import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["'];?/gm)].map((m) => m[1] ?? '');
}
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const walk = (file: string) => {
    for (const spec of staticImports(file)) {
      if (seen.has(spec)) continue;
      seen.add(spec);
      if (spec.startsWith('./')) walk(join(out, spec));
    }
  };
  walk(join(out, entry));
  return seen;
}

describe('the build (npm run build): one bundle per entry', () => {
  beforeAll(() => {
    const r = node(['scripts/build.mjs']);
    expect(r.status, r.stderr).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('makes the bot, the CLI and the Discord registration, with source maps and every migration beside them', () => {
    for (const f of ['main.js', 'cli.js', 'discord-register.js', 'main.js.map', '.built']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readdirSync(join(out, 'migrations')).sort()).toEqual(readdirSync(join(root, 'src/store/migrations')).sort());
  });

  it('loads neither chat SDK before a token asks for it: Bolt and discord.js are imported lazily', () => {
    const loaded = [...staticClosure('main.js')];
    expect(loaded.filter((m) => /@slack|discord/.test(m))).toEqual([]);
    // They are still there, in chunks that only a dynamic import() reaches.
    const importers = (pkg: string) => readdirSync(out).filter((f) => f.endsWith('.js') && staticImports(join(out, f)).includes(pkg));
    for (const pkg of ['@slack/bolt', 'discord.js']) {
      expect(importers(pkg).length, pkg).toBeGreaterThan(0);
      for (const chunk of importers(pkg)) expect(loaded).not.toContain(`./${chunk}`);
    }
  });

  it('the built CLI runs against a database, finding its migrations in the bundle directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'j1msky-built-cli-'));
    const r = node([join(out, 'cli.js'), 'policy', 'export', '--out', join(dir, 'policy.json')], { ...fixtureEnv, DATABASE_PATH: join(dir, 'ops.db') });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8'))).toMatchObject({ base_markup: { low: 3, medium: 4, high: 5 } });
  });

  it('build-if-stale builds nothing when dist is newer than every source, and rebuilds when one changes', () => {
    const stamp = () => statSync(join(out, '.built')).mtimeMs;
    const before = stamp();
    expect(node(['scripts/build-if-stale.mjs']).status).toBe(0);
    expect(stamp()).toBe(before);
    // Every source newer than the stamp (as after a git pull brings new files): it builds, the stamp moves.
    const old = new Date(1_000_000);
    utimesSync(join(out, '.built'), old, old);
    expect(node(['scripts/build-if-stale.mjs']).status).toBe(0);
    expect(stamp()).toBeGreaterThan(old.getTime());
  }, 60_000);
});
