import type { CommandContext } from '../core/command.js';
import { reply, text, type Reply } from '../reply/reply.js';
import { policyInForce } from './in-force.js';

/** /policy: the version in force. */
export function showPolicy(ctx: CommandContext): Reply {
  const policy = policyInForce(ctx.db, ctx.catalog.policyFile, ctx.now);
  const message = `Pricing policy in force: ${policy.id}`;
  return { ...reply(message, [text(message)]), data: { in_force: policy.id } };
}
