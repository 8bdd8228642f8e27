import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { dispatchCommand } from '../../core/dispatch.js';
import { UserError } from '../../core/errors.js';
import { commandContext, type Services } from '../../core/services.js';
import type { Actor } from '../../domain/actor.js';
import { withRole, type Team } from '../../domain/team.js';
import { toText } from '../../reply/text.js';

const PROMPT = 'j1msky> ';

function consoleActor(team: Team): Actor {
  let name = 'console';
  try {
    name = userInfo().username || name;
  } catch {
    // No passwd entry (some containers): keep the generic name.
  }
  return withRole(team, { platform: 'console', userId: name, name });
}

/** Splits "/quote model=k2p5 ..." into the command name and the rest, as a slash command arrives. */
export function splitCommandLine(line: string): { name: string; text: string } | null {
  const m = /^\/?([a-z][a-z0-9_-]*)\s*(.*)$/is.exec(line.trim());
  return m ? { name: (m[1] ?? '').toLowerCase(), text: m[2] ?? '' } : null;
}

/**
 * The local console: the bot's embedded default when no chat tokens are set. It reads a line,
 * dispatches it exactly as Slack would, and prints the same reply as text.
 */
export function startConsole(
  services: Services,
  io: { input: Readable; output: Writable; banner?: string; onClose?: () => void },
): { close: () => void; print: (text: string) => void } {
  const actor = consoleActor(services.catalog.team);
  const rl = createInterface({ input: io.input, output: io.output, prompt: PROMPT, terminal: (io.output as NodeJS.WriteStream).isTTY === true });
  let closed = false;
  const print = (s: string) => io.output.write(`${s}\n`);
  // Messages that arrive while the person is typing (alerts) are printed above a fresh prompt.
  const printAsync = (s: string) => {
    io.output.write(`\r${s}\n`);
    if (!closed) rl.prompt(true);
  };
  if (io.banner) print(io.banner);
  rl.prompt();

  let busy = Promise.resolve();
  rl.on('line', (line) => {
    busy = busy.then(async () => {
      const trimmed = line.trim();
      if (trimmed === '') return;
      if (/^\/?(exit|quit)$/i.test(trimmed)) {
        rl.close();
        return;
      }
      const parsed = splitCommandLine(trimmed);
      if (!parsed) {
        print('Type a command such as /quote help, or /help for the list. /exit leaves.');
        return;
      }
      const ctx = commandContext(services, actor, 'console', { command: parsed.name });
      const reply = await dispatchCommand(services.registry, parsed.name, { text: parsed.text }, ctx);
      print(toText(reply));
    }).catch((error: unknown) => {
      print(error instanceof UserError ? error.message : 'Something went wrong; see the log.');
    }).finally(() => {
      if (!closed) rl.prompt();
    });
  });
  rl.on('close', () => {
    closed = true;
    void busy.finally(() => io.onClose?.());
  });
  return { close: () => rl.close(), print: printAsync };
}

