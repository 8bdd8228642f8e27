import { commands } from '../commands/index.js';
import { createApi } from './adapters/http/api.js';
import { startHttpServer } from './adapters/http/server.js';
import { createSlackAdapter, type SlackAdapter } from './adapters/slack/app.js';
import { loadCatalog } from './catalog/index.js';
import type { AppConfig } from './config.js';
import { createRegistry } from './core/command.js';
import type { Services } from './core/services.js';
import type { Logger } from './logger.js';
import { openDatabase } from './store/open.js';

export interface RunningBot {
  services: Services;
  url: string;
  slack?: SlackAdapter;
  stop: () => Promise<void>;
}

/** Wires config -> store -> registry -> adapters. No business rule lives here. */
export async function startBot(config: AppConfig, log: Logger, clock: () => Date = () => new Date()): Promise<RunningBot> {
  const catalog = loadCatalog(config);
  const db = openDatabase(config.databasePath);
  const registry = createRegistry(commands, catalog);
  const services: Services = { registry, db, config, catalog, log, clock };

  const slack = config.slack ? createSlackAdapter(services, config.slack) : undefined;
  const http = await startHttpServer({
    host: config.host,
    port: config.port,
    api: createApi(services),
    slack: slack?.requestListener,
  });
  await slack?.start();
  log.info(
    { url: http.url, slack: config.slack?.mode ?? 'off', policy: catalog.policy.id, models: [...catalog.rateCard.models.keys()] },
    'j1msky-ops started',
  );

  return {
    services,
    url: http.url,
    slack,
    stop: async () => {
      await slack?.stop();
      await http.close();
      db.close();
      log.info('j1msky-ops stopped');
    },
  };
}
