import { App, HTTPReceiver, SocketModeReceiver, type SlashCommand } from '@slack/bolt';
import type { RequestListener } from 'node:http';
import { findOperation, type ResolvedOperation } from '../../core/command.js';
import { dispatchAction, dispatchCommand } from '../../core/dispatch.js';
import { commandContext, type Services } from '../../core/services.js';
import { withRole } from '../../domain/team.js';
import { toBlockKit } from '../../reply/block-kit.js';
import { enqueue } from '../../store/outbox.js';
import type { SlackConfig } from '../../config.js';
import { boltLogger } from './logger.js';
import { commandModal, pathFromCallbackId, modalFields } from './modal.js';
import { refuseFutureTimestamps } from './timestamp.js';

export interface SlackAdapter {
  app: App;
  /** Set in HTTP mode: mounted on the shared server at /slack/events. */
  requestListener?: RequestListener;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** Up for /healthz: HTTP mode once started (the server is listening), Socket Mode while its socket is open. */
  ready: () => boolean;
}

const ACTION_ID = /^[a-z_]+\.[a-z_]+$/;

function needsForm(target: ResolvedOperation): boolean {
  return Object.values(target.schema.shape).some((f) => !(f as { isOptional(): boolean }).isOptional());
}

/**
 * Slack through Bolt: Socket Mode when an app token is set (a Pi behind NAT), otherwise Bolt's HTTP
 * receiver, which verifies every request's signature and timestamp before a listener sees it.
 */
export function createSlackAdapter(services: Services, slack: SlackConfig): SlackAdapter {
  const log = services.log.child({ platform: 'slack' });
  const logger = boltLogger(log);
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl.endsWith('/') ? slack.apiUrl : `${slack.apiUrl}/` } : undefined;
  const actorOf = (userId: string, name: string) => withRole(services.catalog.team, { platform: 'slack', userId, name });

  const receiver =
    slack.mode === 'http'
      ? new HTTPReceiver({ signingSecret: slack.signingSecret ?? '', endpoints: '/slack/events', logger })
      : undefined;
  // Built here rather than by Bolt (socketMode: true) so /healthz can ask whether its socket is open.
  const socket = receiver ? undefined : new SocketModeReceiver({ appToken: slack.appToken ?? '', logger });
  const app = new App({ token: slack.botToken, receiver: receiver ?? socket, socketMode: socket !== undefined, logger, clientOptions });
  let started = false;

  for (const command of services.registry.commands.values()) {
    const name = command.def.name;
    app.command(`/${name}`, async ({ command: payload, ack, client }) => {
      const body = payload as SlashCommand;
      const text = body.text.trim();
      // A bare command (or subcommand) that needs input opens a form with the same fields.
      const [first = '', ...rest] = text.split(/\s+/);
      const sub = command.subcommands.get(first.toLowerCase());
      const formFor = text === '' ? command : sub && rest.length === 0 ? sub : undefined;
      if (formFor && needsForm(formFor)) {
        await ack();
        await client.views.open({ trigger_id: body.trigger_id, view: commandModal(formFor, { channelId: body.channel_id }) as never });
        return;
      }
      // Slack sends the same trigger_id when it retries a command, so a retry finds the first answer.
      const ctx = commandContext(services, actorOf(body.user_id, body.user_name), 'slash_command', {
        command: name,
        requestId: body.trigger_id,
        idempotencyKey: `slack:${body.team_id}:${body.trigger_id}`,
      });
      await ack(toBlockKit(await dispatchCommand(services.registry, name, { text }, ctx)));
    });
  }

  app.view(/^cmd:/, async ({ ack, view, body, client }) => {
    const path = pathFromCallbackId(view.callback_id);
    const target = findOperation(services.registry, path);
    const ctx = commandContext(services, actorOf(body.user.id, body.user.name ?? body.user.id), 'modal', {
      command: path,
      requestId: view.id,
      idempotencyKey: `slack:${body.team?.id ?? ''}:view:${view.id}`,
    });
    const reply = await dispatchCommand(services.registry, path, { fields: modalFields(view.state.values as never), source: 'text' }, ctx);
    const field = reply.error?.field;
    if (field && target && field in target.schema.shape) {
      await ack({ response_action: 'errors', errors: { [field]: reply.summary.replace(/`/g, '') } });
      return;
    }
    await ack();
    const { channelId } = JSON.parse(view.private_metadata || '{}') as { channelId?: string };
    const message = toBlockKit(reply);
    try {
      if (!channelId) throw new Error('no channel');
      await client.chat.postEphemeral({ channel: channelId, user: body.user.id, text: message.text, blocks: message.blocks as never });
    } catch (error) {
      // The bot may not be in that channel: a direct message reaches the person. It goes through
      // the outbox like every message the bot sends, so a Slack failure is retried, never lost.
      log.warn({ err: error, channel: channelId }, 'ephemeral answer failed; sending it by direct message');
      enqueue(services.db, { platform: 'slack', kind: 'message', destination: body.user.id, payload: reply, at: services.clock() });
      services.notify?.();
    }
  });

  app.action(ACTION_ID, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) return;
    const ctx = commandContext(services, actorOf(body.user.id, body.user.name ?? body.user.id), 'button', {
      command: action.action_id,
      requestId: body.trigger_id,
    });
    const result = await dispatchAction(services.registry, action.action_id, action.value ?? '', ctx);
    if (result.kind === 'form') {
      const target = findOperation(services.registry, [result.command, result.subcommand].filter(Boolean).join(' '));
      if (target) {
        await client.views.open({ trigger_id: body.trigger_id, view: commandModal(target, { channelId: body.channel?.id }, result.values) as never });
        return;
      }
    }
    const message = toBlockKit(result.reply);
    await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks as never });
  });

  // Listener errors are already answered by dispatch; what reaches here is Bolt's own (auth, transport).
  app.error(async (error) => {
    log.error({ err: error }, 'slack app error');
  });

  return {
    app,
    requestListener: receiver
      ? refuseFutureTimestamps(receiver.requestListener, (timestamp) => log.warn({ timestamp }, 'slack request refused: timestamp in the future'))
      : undefined,
    start: async () => {
      if (!receiver) await app.start();
      started = true;
    },
    stop: async () => {
      started = false;
      if (!receiver) await app.stop();
    },
    ready: () => started && (socket ? socket.client.websocket?.isActive() === true : true),
  };
}
