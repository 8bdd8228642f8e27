import {
  Client,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionEditReplyOptions,
  type ModalSubmitInteraction,
} from 'discord.js';
import { findOperation } from '../../core/command.js';
import type { DiscordConfig } from '../../config.js';
import { dispatchAction, dispatchCommand } from '../../core/dispatch.js';
import { commandContext, type Services } from '../../core/services.js';
import { withRole } from '../../domain/team.js';
import { parseCustomId, toDiscord, type DiscordMessage } from '../../reply/discord.js';
import { watchHelpChannel } from './help-channel.js';
import { discordModal, pathFromModalId } from './modal.js';
import { MAIN_SUBCOMMAND } from './registration.js';

export interface DiscordAdapter {
  client: Client;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

/** The deferral already chose ephemeral; the edit carries the content, typed as the API's own JSON. */
function editable(m: DiscordMessage): InteractionEditReplyOptions {
  const { flags: _ephemeral, ...body } = m;
  return body as unknown as InteractionEditReplyOptions;
}

/**
 * Guilds for slash commands, buttons and the channel cache; GuildMessages only when a help channel
 * is watched, for its message events. Neither is privileged, and MessageContent is never asked for:
 * the help queue needs who wrote, where, when and in reply to what, not what they wrote.
 */
export function discordIntents(watchesHelpChannel: boolean): GatewayIntentBits[] {
  return watchesHelpChannel ? [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] : [GatewayIntentBits.Guilds];
}

const ERROR_TEXT = 'There was an error while running that. The ops team can find it in the log.';

/**
 * Discord through discord.js over the gateway (no public URL, so a Pi behind NAT works). Slash
 * commands and buttons arrive as interactions; see discordIntents for what else is read. Every
 * interaction is deferred first, inside Discord's 3 seconds.
 */
export function createDiscordAdapter(services: Services, discord: DiscordConfig): DiscordAdapter {
  const log = services.log.child({ platform: 'discord' });
  const community = services.catalog.team.community;
  const client = new Client({
    intents: discordIntents(community !== undefined),
    ...(community ? { partials: [Partials.Message] } : {}),
    rest: discord.apiUrl ? { api: discord.apiUrl } : {},
  });
  if (community) watchHelpChannel(client, services, community, log);
  const actorOf = (i: Interaction) => {
    // A cached member has a role manager; an uncached one arrives as the API's plain list of ids.
    const roles = !i.member ? [] : Array.isArray(i.member.roles) ? i.member.roles : [...i.member.roles.cache.keys()];
    return withRole(
      services.catalog.team,
      {
        platform: 'discord',
        userId: i.user.id,
        name: (i.member && 'displayName' in i.member ? i.member.displayName : undefined) ?? i.user.globalName ?? i.user.username,
      },
      roles,
    );
  };

  const onCommand = async (i: ChatInputCommandInteraction) => {
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const sub = i.options.getSubcommand(false);
    const path = sub && sub !== MAIN_SUBCOMMAND ? `${i.commandName} ${sub}` : i.commandName;
    const options = sub ? (i.options.data[0]?.options ?? []) : i.options.data;
    const fields = Object.fromEntries(options.map((o) => [o.name, o.value]));
    const ctx = commandContext(services, actorOf(i), 'slash_command', { command: path, requestId: i.id, idempotencyKey: `discord:${i.id}` });
    await i.editReply(editable(toDiscord(await dispatchCommand(services.registry, path, { fields, source: 'json' }, ctx))));
  };

  /**
   * A button's handler runs before the interaction is answered: a form must be the first answer (a
   * modal cannot follow a deferral), and the handler is a quick local write whose lock wait is
   * bounded (2 s) inside Discord's 3 seconds.
   */
  const onButton = async (i: ButtonInteraction) => {
    const parsed = parseCustomId(i.customId);
    const ctx = commandContext(services, actorOf(i), 'button', { command: parsed?.action, requestId: i.id });
    const result = await dispatchAction(services.registry, parsed?.action ?? '', parsed?.value ?? '', ctx);
    if (result.kind === 'form') {
      const target = findOperation(services.registry, [result.command, result.subcommand].filter(Boolean).join(' '));
      const modal = target ? discordModal(target, result.values) : null;
      // A form longer than a modal's five inputs is answered with what to type.
      if (modal) {
        await i.showModal(modal as never);
        return;
      }
    }
    // Answered as every other interaction is: deferred, then edited with the reply.
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    await i.editReply(editable(toDiscord(result.reply)));
  };

  const onModal = async (i: ModalSubmitInteraction) => {
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const path = pathFromModalId(i.customId) ?? '';
    const fields = Object.fromEntries([...i.fields.fields.values()].flatMap((f) => ('value' in f && typeof f.value === 'string' && f.value.trim() !== '' ? [[f.customId, f.value]] : [])));
    const ctx = commandContext(services, actorOf(i), 'modal', { command: path, requestId: i.id, idempotencyKey: `discord:${i.id}` });
    await i.editReply(editable(toDiscord(await dispatchCommand(services.registry, path, { fields, source: 'text' }, ctx))));
  };

  client.on('interactionCreate', (i) => {
    const run = i.isChatInputCommand() ? onCommand(i) : i.isButton() ? onButton(i) : i.isModalSubmit() ? onModal(i) : undefined;
    void run?.catch(async (error: unknown) => {
      log.error({ err: error, interaction: i.id }, 'discord interaction failed');
      if (!i.isRepliable()) return;
      // The discord.js guide's pattern: a follow-up once deferred, a reply otherwise.
      const reply = { content: ERROR_TEXT, flags: MessageFlags.Ephemeral } as const;
      await (i.deferred || i.replied ? i.followUp(reply) : i.reply(reply)).catch(() => undefined);
    });
  });
  client.on('error', (error) => log.error({ err: error }, 'discord client error'));

  return {
    client,
    start: async () => {
      await client.login(discord.token);
    },
    stop: async () => {
      await client.destroy();
    },
  };
}
