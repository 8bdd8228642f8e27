import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret';

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Posts to the bot exactly as Slack does: a form body, signed with the app's signing secret. */
export async function postToSlackEndpoint(
  baseUrl: string,
  body: string,
  options: { timestamp?: number; signature?: string; retryNum?: number; contentType?: string } = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? sign(body, timestamp),
      ...(options.retryNum !== undefined ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
    },
    body,
  });
}

export function slashCommandBody(command: string, text: string, over: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T1',
    team_domain: 'j1msky',
    channel_id: 'C_SALES',
    channel_name: 'sales',
    user_id: 'U_BOB',
    user_name: 'bob',
    command,
    text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: 'http://127.0.0.1:9/commands/1',
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
    ...over,
  }).toString();
}

export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface ButtonPress {
  action: string;
  value: string;
  /** A Slack user id, or the whole user object Slack sends. */
  user: string | { id: string; name?: string; team_id?: string };
  channel: string;
  /** Where Bolt's respond() posts: the fake Slack's respond route. */
  responseUrl: string;
  trigger?: string;
}

/** The block_actions payload Slack sends when someone presses a button in the channel. */
export function buttonPressBody(p: ButtonPress): string {
  const user = typeof p.user === 'string' ? { id: p.user, name: p.user, team_id: 'T1' } : p.user;
  return interactionBody({
    type: 'block_actions',
    team: { id: 'T1', domain: 'j1msky' },
    user,
    api_app_id: 'A1',
    trigger_id: p.trigger ?? `trigger-${Math.random().toString(36).slice(2)}`,
    response_url: p.responseUrl,
    channel: { id: p.channel },
    container: { type: 'message', message_ts: '1.0', channel_id: p.channel },
    actions: [{ type: 'button', action_id: p.action, block_id: 'b1', value: p.value, action_ts: '1.0', text: { type: 'plain_text', text: p.action } }],
  });
}
