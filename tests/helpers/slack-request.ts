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
