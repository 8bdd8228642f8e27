import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

describe('the README names exactly the Slack scopes the manifest asks for', () => {
  it('lists them in its Slack section, no more and no fewer', () => {
    const manifest = JSON.parse(readFileSync(`${root}/deploy/slack-manifest.json`, 'utf8')) as { oauth_config: { scopes: { bot: string[] } } };
    const readme = readFileSync(`${root}/README.md`, 'utf8');
    const line = /\*\*Scopes, and why\.\*\*([\s\S]*?)\n\d\./.exec(readme)?.[1] ?? '';
    const named = [...line.matchAll(/`([a-z:._]+)`/g)].map((m) => m[1]).filter((s) => s?.includes(':') || s === 'commands');
    expect(named.sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });
});
