import type { AnyCommand } from '../../core/command.js';

/** Slack's limits for a slash command in an app manifest. */
export const SLACK_COMMAND_DESCRIPTION_MAX_CHARS = 100;
export const SLACK_USAGE_HINT_MAX_CHARS = 100;

/** Scopes the bot asks for, and why: nothing it does not use. */
export const SLACK_BOT_SCOPES = [
  'commands', // the slash commands
  'chat:write', // replies to modal submissions, alerts and scheduled posts
] as const;

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** The Slack app manifest, generated from the command registry so the two cannot drift apart. */
export function slackManifest(commands: readonly AnyCommand[], options: { baseUrl?: string; socketMode: boolean }) {
  const requestUrl = options.baseUrl ? `${options.baseUrl.replace(/\/$/, '')}/slack/events` : undefined;
  return {
    display_information: {
      name: 'J1MSKY Ops',
      description: 'Quotes, exceptions and the revenue desk cadence, from chat.',
      background_color: '#1d2b3a',
    },
    features: {
      bot_user: { display_name: 'j1msky-ops', always_online: true },
      slash_commands: commands.map((c) => {
        const hint = c.examples.map((e) => e.replace(`/${c.name}`, '').trim()).find(Boolean);
        return {
          command: `/${c.name}`,
          ...(options.socketMode ? {} : { url: requestUrl }),
          description: cut(c.description, SLACK_COMMAND_DESCRIPTION_MAX_CHARS),
          ...(hint ? { usage_hint: cut(hint, SLACK_USAGE_HINT_MAX_CHARS) } : {}),
          should_escape: false,
        };
      }),
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      interactivity: { is_enabled: true, ...(options.socketMode ? {} : { request_url: requestUrl }) },
      org_deploy_enabled: false,
      socket_mode_enabled: options.socketMode,
      token_rotation_enabled: false,
    },
  };
}
