import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { slackManifest } from '../../src/adapters/slack/manifest.js';

const root = new URL('../..', import.meta.url).pathname;

describe('the Slack app manifest', () => {
  it('is generated from the registry: deploy/slack-manifest.json lists every command (npm run slack:manifest -- --socket --out deploy/slack-manifest.json)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../deploy/slack-manifest.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(slackManifest(commands, { socketMode: true }));
  });

  it('points commands and interactivity at /slack/events in HTTP mode', () => {
    const m = slackManifest(commands, { socketMode: false, baseUrl: 'https://ops.example.com/' });
    expect(m.settings.interactivity.request_url).toBe('https://ops.example.com/slack/events');
    expect(m.features.slash_commands.map((c) => [c.command, c.url])).toContainEqual(['/quote', 'https://ops.example.com/slack/events']);
  });

  it('prints nothing but the manifest on stdout, so npm run -s slack:manifest ... > FILE also writes valid JSON', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'slack:manifest', '--', '--url', 'https://ops.example.com'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    });
    expect(JSON.parse(stdout)).toEqual(slackManifest(commands, { socketMode: false, baseUrl: 'https://ops.example.com' }));
  }, 30_000);
});
