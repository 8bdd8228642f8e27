import { App, HTTPReceiver, type SlashCommand } from '@slack/bolt';
import type { RequestListener } from 'node:http';
import type { ResolvedCommand } from '../../core/command.js';
import { dispatchCommand, errorReply } from '../../core/dispatch.js';
import { commandContext, type Services } from '../../core/services.js';
import type { Actor } from '../../domain/actor.js';
import { toBlockKit } from '../../reply/block-kit.js';
import type { SlackConfig } from '../../config.js';
import { boltLogger } from './logger.js';
import { commandModal, modalCallbackId, modalFields } from './modal.js';

export interface SlackAdapter {
  app: App;
  /** Set in HTTP mode: mounted on the shared server at /slack/events. */
  requestListener?: RequestListener;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

const slackActor = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name, role: 'sales_rep' });

function needsForm(command: ResolvedCommand): boolean {
  return Object.values(command.schema.shape).some((f) => !(f as { isOptional(): boolean }).isOptional());
}

/**
 * Slack through Bolt: Socket Mode when an app token is set (a Pi behind NAT), otherwise Bolt's HTTP
 * receiver, which verifies every request's signature and timestamp before a listener sees it.
 */
export function createSlackAdapter(services: Services, slack: SlackConfig): SlackAdapter {
  const log = services.log.child({ platform: 'slack' });
  const logger = boltLogger(log);
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl.endsWith('/') ? slack.apiUrl : `${slack.apiUrl}/` } : undefined;

  const receiver =
    slack.mode === 'http'
      ? new HTTPReceiver({ signingSecret: slack.signingSecret ?? '', endpoints: '/slack/events', logger })
      : undefined;
  const app = receiver
    ? new App({ token: slack.botToken, receiver, logger, clientOptions })
    : new App({ token: slack.botToken, appToken: slack.appToken, socketMode: true, logger, clientOptions });

  for (const command of services.registry.commands.values()) {
    const name = command.def.name;

    app.command(`/${name}`, async ({ command: payload, ack, client }) => {
      const body = payload as SlashCommand;
      const actor = slackActor(body.user_id, body.user_name);
      if (body.text.trim() === '' && needsForm(command)) {
        await ack();
        await client.views.open({ trigger_id: body.trigger_id, view: commandModal(command, { channelId: body.channel_id }) as never });
        return;
      }
      // Slack sends the same trigger_id when it retries a command, so a retry finds the first answer.
      const ctx = commandContext(services, actor, 'slash_command', {
        command: name,
        requestId: body.trigger_id,
        idempotencyKey: `slack:${body.team_id}:${body.trigger_id}`,
      });
      const reply = await dispatchCommand(services.registry, name, { text: body.text }, ctx);
      await ack(toBlockKit(reply));
    });

    app.view(modalCallbackId(name), async ({ ack, view, body, client }) => {
      const actor = slackActor(body.user.id, body.user.name ?? body.user.id);
      const ctx = commandContext(services, actor, 'modal', {
        command: name,
        requestId: view.id,
        idempotencyKey: `slack:${body.team?.id ?? ''}:view:${view.id}`,
      });
      const reply = await dispatchCommand(services.registry, name, { fields: modalFields(view.state.values as never) }, ctx);
      const field = reply.error?.field;
      if (field && field in command.schema.shape) {
        await ack({ response_action: 'errors', errors: { [field]: reply.summary.replace(/`/g, '') } });
        return;
      }
      await ack();
      const { channelId } = JSON.parse(view.private_metadata || '{}') as { channelId?: string };
      const message = toBlockKit(reply);
      try {
        if (!channelId) throw new Error('no channel');
        await client.chat.postEphemeral({ channel: channelId, user: body.user.id, text: message.text, blocks: message.blocks as never });
      } catch {
        // The bot may not be in that channel: a direct message always reaches the person.
        await client.chat.postMessage({ channel: body.user.id, text: message.text, blocks: message.blocks as never });
      }
    });
  }

  app.error(async (error) => {
    errorReply(error, { log });
  });

  return {
    app,
    requestListener: receiver?.requestListener,
    start: async () => {
      if (!receiver) await app.start();
    },
    stop: async () => {
      if (!receiver) await app.stop();
    },
  };
}
