import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../src/catalog/pricing-policy.js';
import { policyFileChanged, seedPolicy } from '../../src/policy/in-force.js';
import { openDatabase } from '../../src/store/open.js';
import { fixtureEnv, fixturePaths } from '../helpers/seed.js';
import { addVersion, at, file, SEED, withRules } from '../policy/versions-helpers.js';

const root = new URL('../..', import.meta.url).pathname;
const B = 'pricing_policy_v2026-11-22b';

/** `npm run cli -- policy export ...` as a user runs it, minus the build: tsx on the source. */
function cli(args: string[], env: Record<string, string>) {
  const run = spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'policy', 'export', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, OPS_TIMEZONE: 'UTC', ...fixtureEnv, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const workspace = () => {
  const dir = mkdtempSync(join(tmpdir(), 'j1msky-policy-export-'));
  return { dir, db: join(dir, 'ops.db') };
};

/** A database whose version in force is B, a minor change approved by Maria, in force since 2025. */
function withVersionB(dbPath: string) {
  const db = openDatabase(dbPath);
  addVersion(db, { id: B, rules: withRules({ base_markup: { medium: 4.5 } }), effectiveAt: at('2025-01-01T00:00:00Z'), reviewed: true });
  addVersion(db, { id: 'pricing_policy_v2026-11-22c', state: 'proposed', rules: withRules({ price_floor_usd: 0.9 }) });
  db.close();
}

describe('npm run cli -- policy export', () => {
  it('prints only the JSON of the version in force, in the policy file’s format, which loads back as the same id and rules', () => {
    const w = workspace();
    withVersionB(w.db);
    const r = cli([], { DATABASE_PATH: w.db });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 6)).toEqual(['id', 'previous', 'changed_by', 'change_type', 'rationale', 'rollback_date']);
    expect(json).toMatchObject({ id: B, previous: SEED, changed_by: 'Pat Kim', change_type: 'minor', rollback_date: null });
    const path = join(w.dir, 'exported.json');
    writeFileSync(path, r.out);
    const loaded = loadPolicyFile(path);
    expect(loaded.id).toBe(B);
    expect(loaded.rules).toEqual(withRules({ base_markup: { medium: 4.5 } }));
    expect(loaded.rationale).toContain('Medium-complexity win rate');
  }, 60_000);

  it('on a database nobody seeded yet, exports the policy file it is seeded from', () => {
    const w = workspace();
    const r = cli([], { DATABASE_PATH: w.db });
    expect(r.code).toBe(0);
    const path = join(w.dir, 'exported.json');
    writeFileSync(path, r.out);
    expect(loadPolicyFile(path)).toEqual(file);
  }, 60_000);

  it('--out writes the file; over the configured policy file, the next start does not call the file changed', () => {
    const w = workspace();
    const configured = join(w.dir, 'pricing-policy.json');
    copyFileSync(fixturePaths.pricingPolicyPath, configured);
    withVersionB(w.db);
    const db = openDatabase(w.db);
    // B is in force, so the seeded file's rules are stale against the database until it is exported.
    const before = loadPolicyFile(configured);
    seedPolicy(db, before, at('2026-11-22T12:00:00Z'));
    db.close();

    const elsewhere = join(w.dir, 'copy.json');
    const r = cli(['--out', elsewhere], { DATABASE_PATH: w.db, PRICING_POLICY_PATH: configured });
    expect(r.code).toBe(0);
    expect(r.out).toBe(`Wrote ${B} (in force since 2025-01-01 00:00 UTC) to ${elsewhere}.\n`);
    expect(loadPolicyFile(elsewhere).id).toBe(B);
    expect(readFileSync(configured, 'utf8')).toBe(readFileSync(fixturePaths.pricingPolicyPath, 'utf8'));

    expect(cli(['--out', configured], { DATABASE_PATH: w.db, PRICING_POLICY_PATH: configured }).code).toBe(0);
    const after = loadPolicyFile(configured);
    expect([after.id, after.rules]).toEqual([B, withRules({ base_markup: { medium: 4.5 } })]);
    const check = openDatabase(w.db);
    expect(policyFileChanged(check, after)).toBe(false);
    // The file as it was before the export would now be a change.
    expect(policyFileChanged(check, before)).toBe(true);
    check.close();
  }, 60_000);

  it.each([[['--out']], [['--out', '--force']], [['extra']]])('refuses %j with the usage', (args) => {
    const w = workspace();
    const r = cli(args, { DATABASE_PATH: w.db });
    expect(r.code).toBe(1);
    expect(r.err).toContain('policy export takes only --out FILE');
    expect(r.err).toContain('policy export [--out FILE]');
    expect(r.out).toBe('');
  }, 60_000);
});
