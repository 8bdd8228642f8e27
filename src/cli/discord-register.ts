import { REST, Routes } from 'discord.js';
import { commands } from '../../commands/index.js';
import { discordCommands } from '../adapters/discord/registration.js';
import { loadCatalog } from '../catalog/index.js';
import { loadConfig, loadDotEnv } from '../config.js';
import { createRegistry } from '../core/command.js';

/** npm run discord:register: bulk-overwrites the slash commands, to the guild when set, else globally. */
loadDotEnv();
const config = loadConfig();
if (!config.discord) {
  process.stderr.write('Set DISCORD_TOKEN and DISCORD_APP_ID (see .env.example) to register the Discord commands.\n');
  process.exit(1);
}
const { token, appId, guildId, apiUrl } = config.discord;
const body = discordCommands(createRegistry(commands, loadCatalog(config)));
const rest = new REST(apiUrl ? { api: apiUrl } : {}).setToken(token);
const route = guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId);
try {
  const result = (await rest.put(route, { body })) as { name: string }[];
  process.stdout.write(`Registered ${result.length} commands ${guildId ? `to guild ${guildId}` : 'globally (may take up to an hour to appear)'}: ${result.map((c) => `/${c.name}`).join(', ')}\n`);
} catch (error) {
  process.stderr.write(`Discord refused the registration: ${(error as Error).message}\n`);
  process.exit(1);
}
