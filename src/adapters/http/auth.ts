import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * `Authorization: Bearer <API_TOKEN>`, compared in constant time. hono's bearerAuth accepts only
 * token68 characters, so a token like `p@ss!word#1` turned every request into a 400; here any
 * printable ASCII works (config refuses anything else at start). Hashing both sides first makes
 * the comparison constant-time whatever the lengths. A refusal is JSON, like every other error.
 */
export function requireToken(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer +(.+)$/i.exec(header.trim());
    if (m?.[1] !== undefined && timingSafeEqual(digest(m[1]), expected)) return next();
    c.header('WWW-Authenticate', 'Bearer realm="j1msky-ops"');
    const message = header ? 'That API token is not the one this bot expects.' : 'Send the API token as `Authorization: Bearer <API_TOKEN>`.';
    return c.json({ error: 'unauthorized', message }, 401);
  };
}
