import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('LOG_FILE rolls by size', () => {
  it('rolls past LOG_FILE_MAX_MB and keeps at most LOG_FILE_KEEP old files, the newest as .1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'j1msky-log-'));
    const file = join(dir, 'ops.log');
    const log = createLogger({ level: 'info', file, maxBytes: 2048, keep: 2 });
    for (let i = 0; i < 200; i++) {
      log.info({ i, pad: 'x'.repeat(60) }, 'line');
      if (i % 20 === 19) await settle();
    }
    await settle();
    expect(readdirSync(dir).sort()).toEqual(['ops.log', 'ops.log.1', 'ops.log.2']);
    for (const f of ['ops.log.1', 'ops.log.2']) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(2048 + 200);
    // The current file holds the latest lines, and the log stays JSON lines throughout.
    const last = readFileSync(file, 'utf8').trim().split('\n').at(-1) ?? '{}';
    expect(JSON.parse(last)).toMatchObject({ i: 199, msg: 'line' });
  });

  it('redacts tokens wherever the file is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'j1msky-log-'));
    const log = createLogger({ level: 'info', file: join(dir, 'ops.log') });
    log.info({ slack: { botToken: 'xoxb-secret' } }, 'started');
    await settle();
    expect(readFileSync(join(dir, 'ops.log'), 'utf8')).not.toContain('xoxb-secret');
  });
});
