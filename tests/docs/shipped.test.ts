import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { schedules } from '../../schedules/index.js';
import { discordCommands } from '../../src/adapters/discord/registration.js';
import { loadCatalog } from '../../src/catalog/index.js';
import { createRegistry } from '../../src/core/command.js';
import { resolveJobs } from '../../src/scheduler/runner.js';

// Every other test runs on tests/fixtures/data. These are the files the bot ships with, as examples
// a business then edits: they must load as the bot would load them at start, and what deploy/ was
// generated from them must still be what they generate.
const shipped = (name: string) => new URL(`../../data/${name}`, import.meta.url).pathname;
const loadShipped = () =>
  loadCatalog({
    modelsPath: shipped('models.json'),
    pricingPolicyPath: shipped('pricing-policy.json'),
    teamPath: shipped('team.json'),
    schedulesPath: shipped('schedules.json'),
  });

describe('the shipped data/*.json', () => {
  it('load and validate, and the schedules file names only schedules that exist', () => {
    const catalog = loadShipped();
    expect(catalog.rateCard.models.size).toBeGreaterThan(0);
    expect(catalog.policyFile.id).toMatch(/^pricing_policy_v/);
    expect(() => resolveJobs(schedules, catalog)).not.toThrow();
  });

  it('generate deploy/discord-commands.json as committed (regenerate it as the README says)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../deploy/discord-commands.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(discordCommands(createRegistry(commands, loadShipped())));
  });
});
