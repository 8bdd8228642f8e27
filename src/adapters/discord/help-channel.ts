import { Events, MessageType, SnowflakeUtil, type Client, type GuildMember, type Message, type PartialMessage } from 'discord.js';
import { evaluateRisk } from '../../alerts/engine.js';
import { alertEnv } from '../../alerts/env.js';
import { applyHelpEvent, questionDeleted } from '../../community/help-queue.js';
import type { Services } from '../../core/services.js';
import { classifyHelpMessage, FIRST_ANSWER_SLA_HOURS, type CommunityConfig, type HelpMessage } from '../../domain/community.js';
import type { Logger } from '../../logger.js';

/** What the help queue reads of a message: ids, author, roles, time and the reply link. Never the content. */
export function helpMessageOf(m: Message<true>, member: GuildMember | null = m.member): HelpMessage {
  const channel = m.channel;
  return {
    id: m.id,
    channelId: m.channelId,
    threadParentId: channel.isThread() ? channel.parentId : null,
    authorId: m.author.id,
    authorName: member?.displayName ?? m.author.globalName ?? m.author.username,
    authorIsBot: m.author.bot || m.webhookId !== null || m.system,
    roleIds: member ? [...member.roles.cache.keys()] : [],
    createdAt: m.createdAt,
    replyToId: m.type === MessageType.Reply ? (m.reference?.messageId ?? null) : null,
  };
}

/** A restart looks back this far: the longest time a question can matter before it is already critical. */
const CATCH_UP_HOURS = 2 * Math.max(...Object.values(FIRST_ANSWER_SLA_HOURS));
const PAGE = 100;
/** At most this many messages per channel or thread are read back at start. */
const CATCH_UP_LIMIT = 1_000;

/** Messages after `after`, oldest first, a page at a time. */
async function messagesAfter(channel: { messages: { fetch(o: { after: string; limit: number }): Promise<Map<string, Message>> } }, after: string) {
  const all: Message[] = [];
  let cursor = after;
  while (all.length < CATCH_UP_LIMIT) {
    const page = [...(await channel.messages.fetch({ after: cursor, limit: PAGE })).values()];
    if (page.length === 0) break;
    page.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    all.push(...page);
    cursor = page.at(-1)?.id ?? cursor;
    if (page.length < PAGE) break;
  }
  return all;
}

export interface HelpChannelWatch {
  /** Reads back what was said while the bot was away; runs once the client is ready. */
  catchUp: () => Promise<number>;
}

/**
 * Watches the help channel through the GuildMessages intent: message events carry the author,
 * their roles, the channel and the reply link even without the privileged MessageContent intent,
 * and that is all the help queue needs.
 */
export function watchHelpChannel(client: Client, services: Services, community: CommunityConfig, log: Logger): HelpChannelWatch {
  const env = () => alertEnv({ ...services, now: services.clock() });

  const apply = (m: Message<true>, member: GuildMember | null = m.member, evaluate = true) => {
    const event = classifyHelpMessage(helpMessageOf(m, member), community, services.catalog.team);
    const outcome = applyHelpEvent(env(), event, m.guildId, { evaluate });
    if (outcome.kind === 'unchanged') return false;
    log.info({ question: outcome.question.ref, outcome: outcome.kind, plan: outcome.question.plan }, 'help queue changed');
    return true;
  };

  client.on(Events.MessageCreate, (message) => {
    if (!message.inGuild()) return;
    try {
      if (apply(message)) services.notify?.();
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

  /**
   * Questions asked and answered while the bot was down (a reboot of the Pi) arrive as no event,
   * so at start the last 48 hours of the channel and its active threads are read back over REST
   * and applied like live messages: a question is recorded once, and only the first answer counts.
   * REST messages carry no member, so each author's roles are fetched once (no privileged intent).
   */
  const catchUp = async (): Promise<number> => {
    const channel = await client.channels.fetch(community.helpChannel);
    if (!channel || !('guild' in channel)) throw new Error(`help channel ${community.helpChannel} is not a server channel the bot can see`);
    const guild = channel.guild;
    const after = SnowflakeUtil.generate({ timestamp: services.clock().getTime() - CATCH_UP_HOURS * 3_600_000 }).toString();
    const messages: Message[] = channel.isTextBased() ? await messagesAfter(channel, after) : [];
    const { threads } = await guild.channels.fetchActiveThreads();
    // A forum post, or a thread off a question, may have been answered while we were away.
    for (const thread of threads.values()) {
      if (thread.parentId === community.helpChannel) messages.push(...(await messagesAfter(thread, after)));
    }
    messages.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const members = new Map<string, GuildMember | null>();
    let changed = 0;
    for (const m of messages) {
      if (!m.inGuild()) continue;
      if (!members.has(m.author.id)) members.set(m.author.id, m.author.bot ? null : await guild.members.fetch(m.author.id).catch(() => null));
      if (apply(m, members.get(m.author.id) ?? null, false)) changed += 1;
    }
    evaluateRisk(env());
    log.info({ read: messages.length, changed }, 'help channel caught up');
    if (changed) services.notify?.();
    return changed;
  };
  client.once(Events.ClientReady, () => {
    catchUp().catch((error: unknown) => log.error({ err: error }, 'help channel catch-up failed'));
  });
  return { catchUp };
}
