import { dirname, basename } from 'node:path';
import { pino, type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';

export type { Logger };

export interface LogOptions {
  level: string;
  /** Write here instead of stdout (while the console is open); rolled by size. */
  file?: string;
  maxBytes?: number;
  keep?: number;
}

/**
 * One root logger. Under systemd the bot runs without a console and logs JSON to stdout, which the
 * journal keeps (journalctl -u j1msky-ops). With the console open, logs go to LOG_FILE instead, so
 * they do not write over what the person types; that file rolls at LOG_FILE_MAX_MB and keeps
 * LOG_FILE_KEEP old ones (ops.log.1 ... ), so a Pi's card never fills with logs. Tokens and secrets
 * never reach it: the redact list is a second line of defence for code that logs a whole options
 * object by mistake.
 */
export function createLogger(options: LogOptions): Logger {
  const base = options.file ? basename(options.file) : '';
  // logrotate's scheme (`rotate`): ops.log, then ops.log.1 (newest) ... ops.log.<keep>; the generator gets the index alone.
  const name = (index: number | Date | null) => (typeof index === 'number' && index > 0 ? `${base}.${index}` : base);
  const destination = options.file
    ? createStream(name as (time: number | Date, index?: number) => string, {
        path: dirname(options.file),
        size: `${Math.max(1, Math.round((options.maxBytes ?? 10 * 1024 * 1024) / 1024))}K`,
        rotate: options.keep ?? 5,
      })
    : undefined;
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
