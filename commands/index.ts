import type { AnyCommand } from '../src/core/command.js';
import budget from './budget.js';
import community from './community.js';
import desk from './desk.js';
import exceptions from './exceptions.js';
import { helpCommand } from './help.js';
import policy from './policy.js';
import proposal from './proposal.js';
import quote from './quote.js';
import quotes from './quotes.js';
import report from './report.js';
import team from './team.js';

/** Every command the bot answers, on every surface. A new command is added here and nowhere else. */
export const commands: readonly AnyCommand[] = [quote, quotes, proposal, desk, policy, exceptions, budget, report, team, community, helpCommand(() => commands)];
