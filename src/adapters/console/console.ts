import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { dispatchCommand } from '../../core/dispatch.js';
import { UserError } from '../../core/errors.js';
import { commandContext, type Services } from '../../core/services.js';
import type { Actor } from '../../domain/actor.js';
import { findPerson, resolvePerson, withRole, type Team } from '../../domain/team.js';
import { toText } from '../../reply/text.js';

const PROMPT = 'j1msky> ';

function osUser(): string {
  try {
    return userInfo().username || 'console';
  } catch {
    return 'console'; // No passwd entry (some containers).
  }
}

function consoleActor(team: Team): Actor {
  const name = osUser();
  return withRole(team, { platform: 'console', userId: name, name });
}

/**
 * `/as NAME`, the console's own command: the person at the Pi's console (who already holds its shell
 * and its database file) acts as a team member for the rest of the session, with that member's role,
 * without editing config/team.json and restarting. `/as` alone says who they act as and how to make
 * it permanent (console_user in the member's entry).
 */
export function switchConsoleActor(team: Team, current: Actor, text: string, teamPath = 'config/team.json'): { actor: Actor; message: string } {
  const os = current.userId;
  const permanent = `To make it permanent, add "console_user": "${os}" to that person in ${teamPath}.`;
  const ref = text.trim();
  if (!ref) {
    const mapped = findPerson(team, 'console', os);
    return {
      actor: current,
      message: `You act as ${current.name} (${current.role.replace(/_/g, ' ')})${mapped ? `, mapped from the OS user ${os} in ${teamPath}` : ''}. /as NAME acts as another team member. ${mapped ? '' : permanent}`.trim(),
    };
  }
  const person = resolvePerson(team, ref);
  if (!person) {
    const names = team.people.map((p) => `${p.id} (${p.name}, ${p.role.replace(/_/g, ' ')})`).join(', ');
    return { actor: current, message: `No team member \`${ref}\`. The team: ${names || `nobody yet: add people to ${teamPath}`}.` };
  }
  return {
    actor: { platform: 'console', userId: os, name: person.name, role: person.role },
    message: `You now act as ${person.name} (${person.role.replace(/_/g, ' ')}) at this console, until you leave or type /as again. ${permanent}`,
  };
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
  let actor = consoleActor(services.catalog.team);
  const rl = createInterface({ input: io.input, output: io.output, prompt: PROMPT, terminal: (io.output as NodeJS.WriteStream).isTTY === true });
  let closed = false;
  const print = (s: string) => io.output.write(`${s}\n`);
  // Messages that arrive while the person is typing (alerts) are printed above a fresh prompt.
  const printAsync = (s: string) => {
    io.output.write(`\r${s}\n`);
    if (!closed) rl.prompt(true);
  };
  if (io.banner) print(io.banner);
  if (!findPerson(services.catalog.team, 'console', actor.userId)) {
    print(`You are the OS user ${actor.userId}, not a member in ${services.config.teamPath}, so you act as a sales rep. /as NAME acts as a team member (to acknowledge alerts or set the budget).`);
  }
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
      if (parsed?.name === 'as') {
        const switched = switchConsoleActor(services.catalog.team, actor, parsed.text, services.config.teamPath);
        actor = switched.actor;
        print(switched.message);
        return;
      }
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

