import { commands } from '../../commands/index.js';
import { discordCommands } from '../adapters/discord/registration.js';
import { loadCatalog } from '../catalog/index.js';
import { loadConfig, loadDotEnv } from '../config.js';
import { createRegistry } from '../core/command.js';

/** Prints the Discord slash-command registration generated from the registry (deploy/discord-commands.json). */
loadDotEnv();
const config = loadConfig();
const registry = createRegistry(commands, loadCatalog(config));
process.stdout.write(`${JSON.stringify(discordCommands(registry), null, 2)}\n`);
