import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const scratch = () => mkdtempSync(join(tmpdir(), 'j1msky-deploy-'));

/**
 * npm stands in for itself: the scripts' own logic (order, idempotence, rollback) is what is tested,
 * not a 75-second better-sqlite3 build. It logs each call and builds dist/ from src/VERSION.
 */
function fakeBin(dir: string, nodeVersion?: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'npm'), `#!/usr/bin/env bash
echo "npm $*" >> "${dir}/npm.log"
case "$1" in
  ci) mkdir -p node_modules && echo installed > node_modules/marker ;;
  run) mkdir -p dist && cp src/VERSION dist/VERSION 2>/dev/null || echo none > dist/VERSION; touch dist/main.js dist/cli.js ;;
esac
[ -z "$FAIL_NPM" ] || [ "$1" != "$FAIL_NPM" ]
`);
  chmodSync(join(bin, 'npm'), 0o755);
  if (nodeVersion) {
    writeFileSync(join(bin, 'node'), `#!/usr/bin/env bash\ncase "$1" in -p) echo ${nodeVersion.split('.')[0]?.replace('v', '')} ;; --version) echo ${nodeVersion} ;; esac\n`);
    chmodSync(join(bin, 'node'), 0o755);
  }
  return `${bin}:${process.env.PATH ?? ''}`;
}
const run = (script: string, args: string[], env: Record<string, string>, cwd = root) =>
  spawnSync('bash', [script, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
const git = (cwd: string, ...args: string[]) => {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};

describe('deploy/install.sh', () => {
  it('installs into a prefix: a clone, a build, the team settings seeded once, the unit with the real node, the system steps printed with --no-system; a second run keeps the team\'s edits', () => {
    const dir = scratch();
    const prefix = join(dir, 'opt', 'j1msky-ops');
    const env = { PATH: fakeBin(dir) };
    const args = ['--no-system', '--prefix', prefix, '--unit-dir', join(dir, 'systemd'), '--allow-node20'];
    const first = run('deploy/install.sh', args, env);
    expect(first.status, first.stderr + first.stdout).toBe(0);
    expect(existsSync(join(prefix, '.git'))).toBe(true);
    expect(readFileSync(join(dir, 'npm.log'), 'utf8').split('\n').filter(Boolean)).toEqual(['npm ci --no-audit --no-fund', 'npm run build --silent', 'npm prune --omit=dev --no-audit --no-fund']);
    for (const f of ['team.json', 'schedules.json', 'models.json', 'pricing-policy.json']) {
      expect(readFileSync(join(prefix, 'config', f), 'utf8')).toBe(readFileSync(join(root, 'data', f), 'utf8'));
    }
    expect(readFileSync(join(prefix, '.env'), 'utf8')).toBe(readFileSync(join(root, '.env.example'), 'utf8'));
    const unit = readFileSync(join(dir, 'systemd', 'j1msky-ops.service'), 'utf8');
    expect(unit).toContain(`ExecStart=${process.execPath} --max-semi-space-size=2 dist/main.js`);
    expect(unit).toContain(`WorkingDirectory=${prefix}\n`);
    expect(unit).toContain('User=j1msky\n');
    expect(unit).not.toMatch(/@[A-Z]+@/);
    expect(first.stdout).toMatch(/\(skipped, --no-system\) systemctl enable j1msky-ops/);
    expect(first.stdout).toMatch(/journalctl -u j1msky-ops -f/);

    // The team edits its settings; a second run changes none of them and does not reinstall.
    writeFileSync(join(prefix, 'config', 'team.json'), '{"edited": true}');
    writeFileSync(join(prefix, '.env'), 'SLACK_BOT_TOKEN=xoxb-ours\n');
    const second = run('deploy/install.sh', args, env);
    expect(second.status, second.stderr).toBe(0);
    expect(readFileSync(join(prefix, 'config', 'team.json'), 'utf8')).toBe('{"edited": true}');
    expect(readFileSync(join(prefix, '.env'), 'utf8')).toBe('SLACK_BOT_TOKEN=xoxb-ours\n');
    expect(second.stdout).toMatch(/config\/team\.json kept \(yours\)/);
    expect(second.stdout).toMatch(/j1msky-ops\.service unchanged/);
    expect(readFileSync(join(dir, 'npm.log'), 'utf8').match(/npm ci/g)).toHaveLength(1);
    // The install is a clean checkout: the team's files are not tracked changes.
    expect(git(prefix, 'status', '--porcelain')).toBe('');
  }, 60_000);

  it.skipIf(process.getuid?.() !== 0)('installs as root from a checkout another user owns (sudo from the pi user\'s clone), and upgrades from it', () => {
    const dir = scratch();
    const source = join(dir, 'pi-clone');
    git(dir, 'clone', '--quiet', root, source);
    spawnSync('chown', ['-R', 'nobody:', source]);
    const prefix = join(dir, 'opt');
    const env = { PATH: fakeBin(dir) };
    const r = run(join(source, 'deploy/install.sh'), ['--no-system', '--prefix', prefix, '--unit-dir', join(dir, 'systemd'), '--allow-node20'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(prefix, '.git'))).toBe(true);
    const u = run(join(prefix, 'deploy/update.sh'), ['--timeout', '2'], { ...env, J1MSKY_BACKUP_CMD: 'true', J1MSKY_RESTART_CMD: 'true', J1MSKY_HEALTH_CMD: 'true' }, prefix);
    expect(u.stderr).not.toMatch(/dubious ownership/);
    expect(u.status, u.stderr).toBe(0);
  }, 60_000);

  it.each([['v18.19.0'], ['v20.12.2']])('refuses Node %s without --allow-node20, saying how to get Node 22', (version) => {
    const dir = scratch();
    const r = run('deploy/install.sh', ['--no-system', '--prefix', join(dir, 'x')], { PATH: fakeBin(dir, version) });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`needs Node 22 or later; this machine has ${version}`));
    expect(r.stderr).toMatch(/deb\.nodesource\.com\/setup_22\.x/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('refuses to touch the system without root unless --no-system', () => {
    if (process.getuid?.() === 0) return; // root may; the printed plan is covered above
    const dir = scratch();
    const r = run('deploy/install.sh', ['--prefix', join(dir, 'x'), '--allow-node20'], { PATH: fakeBin(dir) });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/run it with sudo/);
  });
});

describe('deploy/update.sh', () => {
  /** An install whose origin is a bare repo we can push good and broken commits to. */
  function installed() {
    const dir = scratch();
    const origin = join(dir, 'origin.git');
    git(dir, 'clone', '--quiet', '--bare', root, origin);
    const work = join(dir, 'work');
    git(dir, 'clone', '--quiet', origin, work);
    const commit = (version: string) => {
      writeFileSync(join(work, 'src', 'VERSION'), version);
      git(work, 'add', 'src/VERSION');
      git(work, 'commit', '--quiet', '-m', version);
      git(work, 'push', '--quiet', 'origin', 'HEAD');
      return git(work, 'rev-parse', 'HEAD');
    };
    const first = commit('good-1');
    const prefix = join(dir, 'prefix');
    git(dir, 'clone', '--quiet', origin, prefix);
    const env = {
      PATH: fakeBin(dir),
      J1MSKY_BACKUP_CMD: `echo "Backed up (fake)"; echo backup >> ${dir}/steps.log`,
      J1MSKY_RESTART_CMD: `echo restart >> ${dir}/steps.log`,
      J1MSKY_STOP_CMD: `echo stop >> ${dir}/steps.log`,
      J1MSKY_HEALTH_CMD: 'grep -q good dist/VERSION',
    };
    expect(run(join(prefix, 'deploy/install.sh'), ['--no-system', '--prefix', prefix, '--unit-dir', join(dir, 'systemd'), '--allow-node20'], env).status).toBe(0);
    return { dir, prefix, env, commit, first };
  }
  const steps = (dir: string) => readFileSync(join(dir, 'steps.log'), 'utf8').trim().split('\n');

  it('a good commit: backup first, then pull, build, restart and a healthy check', () => {
    const { dir, prefix, env, commit } = installed();
    const next = commit('good-2');
    const r = run(join(prefix, 'deploy/update.sh'), ['--timeout', '5'], env, prefix);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(git(prefix, 'rev-parse', 'HEAD')).toBe(next);
    expect(readFileSync(join(prefix, 'dist', 'VERSION'), 'utf8').trim()).toBe('good-2');
    expect(steps(dir)).toEqual(['backup', 'restart']);
    expect(existsSync(join(prefix, 'dist.previous'))).toBe(false);
  }, 60_000);

  it('a commit that does not come up healthy: the previous code and build are put back and restarted, and it exits 1', () => {
    const { dir, prefix, env, commit, first } = installed();
    commit('broken');
    const r = run(join(prefix, 'deploy/update.sh'), ['--timeout', '2'], env, prefix);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/did not answer .*healthz with 200 within 2s; putting [0-9a-f]+ back/);
    expect(r.stderr).toMatch(/the previous version \([0-9a-f]+\) is running again/);
    expect(git(prefix, 'rev-parse', 'HEAD')).toBe(first);
    expect(readFileSync(join(prefix, 'dist', 'VERSION'), 'utf8').trim()).toBe('good-1');
    expect(readFileSync(join(prefix, 'node_modules', 'marker'), 'utf8').trim()).toBe('installed');
    expect(steps(dir)).toEqual(['backup', 'restart', 'stop', 'restart']);
  }, 60_000);

  it('a failed backup stops the upgrade before anything changes', () => {
    const { prefix, env, commit, first } = installed();
    commit('good-2');
    const r = run(join(prefix, 'deploy/update.sh'), [], { ...env, J1MSKY_BACKUP_CMD: 'echo disk full; exit 1' }, prefix);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the backup failed, so nothing was changed/);
    expect(git(prefix, 'rev-parse', 'HEAD')).toBe(first);
  }, 60_000);
});
