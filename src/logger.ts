import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One root logger. Tokens and secrets never reach it: the redact list is a second line of defence
 * for code that logs a whole options object by mistake.
 */
export function createLogger(options: { level: string; file?: string }): Logger {
  const destination = options.file ? pino.destination({ dest: options.file, mkdir: true, sync: true }) : undefined;
  return pino(
    {
      level: options.level,
      redact: {
        paths: ['*.token', '*.botToken', '*.appToken', '*.signingSecret', '*.apiToken', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
