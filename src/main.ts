import { startBot } from './app.js';
import { ConfigError, loadConfig, loadDotEnv } from './config.js';
import { DataFileError } from './catalog/load-json.js';
import { createLogger } from './logger.js';
import { DatabaseOpenError } from './store/open.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const consoleOn = config.console === 'on' || (config.console === 'auto' && interactive);
  // With a console open, logs go to a file so they do not write over what the person types.
  const log = createLogger({ level: config.logLevel, file: consoleOn ? config.logFile : undefined, maxBytes: config.logFileMaxBytes, keep: config.logFileKeep });
  let stop: (code?: number) => Promise<void> = async () => {};
  const bot = await startBot(config, log, {
    console: consoleOn
      ? {
          input: process.stdin,
          output: process.stdout,
          banner: (url) =>
            [
              `J1MSKY ops console · ${[config.slack ? `Slack (${config.slack.mode})` : null, `HTTP API ${url}`].filter(Boolean).join(' · ')} · logs in ${config.logFile}`,
              'Try: /quote model=k2p5 complexity=medium segment=smb input=2000 output=800',
              'Type /help for the commands, /as NAME to act as a team member, /exit to leave.',
            ].join('\n'),
          onClose: () => void stop(),
        }
      : undefined,
  });

  let stopping = false;
  const shutdown = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    await bot.stop();
    log.flush();
    process.exit(code);
  };
  stop = shutdown;
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  // What a person can fix is one line naming the file and the reason; only a bug earns a stack trace.
  if (error instanceof ConfigError || error instanceof DataFileError || error instanceof DatabaseOpenError) {
    process.stderr.write(`j1msky-ops cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(`j1msky-ops cannot start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
