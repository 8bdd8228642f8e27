import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { slackManifest } from '../../src/adapters/slack/manifest.js';

describe('the Slack app manifest', () => {
  it('is generated from the registry: deploy/slack-manifest.json lists every command (run npm run slack:manifest -- --socket > deploy/slack-manifest.json)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../deploy/slack-manifest.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(slackManifest(commands, { socketMode: true }));
  });

  it('points commands and interactivity at /slack/events in HTTP mode', () => {
    const m = slackManifest(commands, { socketMode: false, baseUrl: 'https://ops.example.com/' });
    expect(m.settings.interactivity.request_url).toBe('https://ops.example.com/slack/events');
    expect(m.features.slash_commands.map((c) => [c.command, c.url])).toContainEqual(['/quote', 'https://ops.example.com/slack/events']);
  });
});
