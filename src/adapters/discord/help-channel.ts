import { Events, MessageType, type Client, type Message, type PartialMessage } from 'discord.js';
import { alertEnv } from '../../alerts/env.js';
import { applyHelpEvent, questionDeleted } from '../../community/help-queue.js';
import type { Services } from '../../core/services.js';
import { classifyHelpMessage, type CommunityConfig, type HelpMessage } from '../../domain/community.js';
import type { Logger } from '../../logger.js';

/** What the help queue reads of a message: ids, author, roles, time and the reply link. Never the content. */
export function helpMessageOf(m: Message<true>): HelpMessage {
  const channel = m.channel;
  return {
    id: m.id,
    channelId: m.channelId,
    threadParentId: channel.isThread() ? channel.parentId : null,
    authorId: m.author.id,
    authorName: m.member?.displayName ?? m.author.globalName ?? m.author.username,
    authorIsBot: m.author.bot || m.webhookId !== null || m.system,
    roleIds: m.member ? [...m.member.roles.cache.keys()] : [],
    createdAt: m.createdAt,
    replyToId: m.type === MessageType.Reply ? (m.reference?.messageId ?? null) : null,
  };
}

/**
 * Watches the help channel through the GuildMessages intent: message events carry the author,
 * their roles, the channel and the reply link even without the privileged MessageContent intent,
 * and that is all the help queue needs.
 */
export function watchHelpChannel(client: Client, services: Services, community: CommunityConfig, log: Logger): void {
  const env = () => alertEnv({ ...services, now: services.clock() });

  client.on(Events.MessageCreate, (message) => {
    if (!message.inGuild()) return;
    try {
      const event = classifyHelpMessage(helpMessageOf(message), community, services.catalog.team);
      const outcome = applyHelpEvent(env(), event, message.guildId);
      if (outcome.kind !== 'unchanged') {
        log.info({ question: outcome.question.ref, outcome: outcome.kind, plan: outcome.question.plan }, 'help queue changed');
        services.notify?.();
      }
    } catch (error) {
      log.error({ err: error, message: message.id }, 'help channel message not recorded');
    }
  });

  const deleted = (messageId: string) => {
    try {
      const q = questionDeleted(env(), messageId);
      if (q) {
        log.info({ question: q.ref }, 'question deleted in Discord: closed');
        services.notify?.();
      }
    } catch (error) {
      log.error({ err: error, message: messageId }, 'deleted help message not recorded');
    }
  };
  // With the Message partial a deletion arrives even when the message has left discord.js's cache;
  // only a recorded open question is affected.
  client.on(Events.MessageDelete, (message: Message | PartialMessage) => deleted(message.id));
  client.on(Events.ThreadDelete, (thread) => {
    if (thread.parentId === community.helpChannel) deleted(thread.id);
  });
}
