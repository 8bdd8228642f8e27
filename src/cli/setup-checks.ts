/**
 * What `npm run cli -- setup` checks against the chat platforms: the tokens work, each channel
 * exists and the bot can post in it. Each problem is one line saying what to do about it.
 */
export interface SlackAnswers {
  botToken: string;
  apiUrl?: string;
  channels: Record<string, string>;
}
export interface DiscordAnswers {
  token: string;
  guildId?: string;
  apiUrl?: string;
  channels: Record<string, string>;
}

const SLACK_ADVICE: Record<string, string> = {
  invalid_auth: 'the bot token is not valid: copy the Bot User OAuth Token (xoxb-...) from the app\'s OAuth & Permissions page',
  not_authed: 'no bot token was sent',
  account_inactive: 'the app was uninstalled or the token revoked: reinstall the app to the workspace',
  channel_not_found: 'there is no such channel, or it is private and the bot is not in it: copy the id from the channel\'s details (C0...), and /invite the bot',
  not_in_channel: 'the bot is not in the channel: type /invite @J1MSKY Ops in it',
  is_archived: 'the channel is archived: pick another',
  missing_scope: 'the app lacks the chat:write scope: create it from deploy/slack-manifest.json and reinstall',
};

/** Slack: auth.test, then a short post in each channel (only chat:write is granted, so posting is the check). */
export async function checkSlack(a: SlackAnswers): Promise<{ ok: string[]; problems: string[] }> {
  const { webApi } = await import('@slack/bolt');
  const client = new webApi.WebClient(a.botToken, { slackApiUrl: a.apiUrl, retryConfig: { retries: 0 } });
  const ok: string[] = [];
  const problems: string[] = [];
  const why = (error: unknown) => {
    const code = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    return SLACK_ADVICE[code] ?? code;
  };
  try {
    const me = await client.auth.test();
    ok.push(`Slack: the token works (bot ${me.user ?? me.user_id} in team ${me.team ?? me.team_id})`);
  } catch (error) {
    problems.push(`Slack: ${why(error)}`);
    return { ok, problems };
  }
  for (const [purpose, channel] of Object.entries(a.channels)) {
    try {
      await client.chat.postMessage({ channel, text: `j1msky-ops setup check: this channel gets the ${purpose} posts.` });
      ok.push(`Slack: the bot can post in the ${purpose} channel ${channel}`);
    } catch (error) {
      problems.push(`Slack ${purpose} channel ${channel}: ${why(error)}`);
    }
  }
  return { ok, problems };
}

/** Discord: the token, the server (the bot is in it), and each channel (it exists, in that server). */
export async function checkDiscord(a: DiscordAnswers): Promise<{ ok: string[]; problems: string[] }> {
  const { REST, Routes } = await import('discord.js');
  const rest = new REST({ ...(a.apiUrl ? { api: a.apiUrl } : {}), retries: 0 }).setToken(a.token);
  const ok: string[] = [];
  const problems: string[] = [];
  const status = (error: unknown) => (error as { status?: number }).status;
  try {
    const me = (await rest.get(Routes.user('@me'))) as { username: string };
    ok.push(`Discord: the token works (bot ${me.username})`);
  } catch (error) {
    problems.push(`Discord: the bot token is not valid (${status(error) ?? (error as Error).message}): reset and copy it under Bot in the developer portal`);
    return { ok, problems };
  }
  if (a.guildId) {
    try {
      const guild = (await rest.get(Routes.guild(a.guildId))) as { name: string };
      ok.push(`Discord: the bot is in the server ${guild.name}`);
    } catch (error) {
      problems.push(`Discord server ${a.guildId}: the bot is not in it or it does not exist (${status(error)}): invite it with the OAuth2 URL (scopes bot, applications.commands)`);
    }
  }
  for (const [purpose, channel] of Object.entries(a.channels)) {
    try {
      const c = (await rest.get(Routes.channel(channel))) as { name?: string; guild_id?: string };
      if (a.guildId && c.guild_id !== a.guildId) problems.push(`Discord ${purpose} channel ${channel} is in another server (${c.guild_id ?? 'none'})`);
      else ok.push(`Discord: the ${purpose} channel #${c.name ?? channel} exists and the bot can see it`);
    } catch (error) {
      problems.push(`Discord ${purpose} channel ${channel}: not found or not visible to the bot (${status(error)}): copy its id with Developer Mode, and give the bot View Channel there`);
    }
  }
  return { ok, problems };
}
