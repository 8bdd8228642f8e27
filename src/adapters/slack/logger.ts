import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/** Bolt logs through our pino logger, so its lines carry the same fields and redaction. */
export function boltLogger(log: Logger): SlackLogger {
  let level: LogLevel = LogLevel.INFO;
  const join = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  // Bolt logs whole payloads at debug on every request: serialise only what will be written.
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    if (log.isLevelEnabled(level)) log[level](join(msg));
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
