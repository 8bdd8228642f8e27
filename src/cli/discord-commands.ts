import { commands } from '../../commands/index.js';
import { discordCommands } from '../adapters/discord/registration.js';
import { loadCatalog } from '../catalog/index.js';
import { loadConfig, loadDotEnv } from '../config.js';
import { createRegistry } from '../core/command.js';
import { writeJson } from './json-output.js';

/**
 * The Discord slash-command registration generated from the registry, printed or written with --out:
 *   npm run discord:commands -- --out deploy/discord-commands.json
 */
loadDotEnv();
const config = loadConfig();
const registry = createRegistry(commands, loadCatalog(config));
writeJson(process.argv.slice(2), discordCommands(registry));
