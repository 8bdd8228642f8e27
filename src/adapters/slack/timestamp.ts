import type { RequestListener } from 'node:http';

/**
 * Slack signs `v0:<timestamp>:<body>`, so the timestamp is what keeps a captured request from being
 * replayed. Bolt refuses one more than five minutes old but not one from the future, which a
 * captured request dated ahead would pass for as long as it likes; the same window applies both ways.
 */
export const MAX_TIMESTAMP_SKEW_SECONDS = 5 * 60;

/** True when the x-slack-request-timestamp header is further ahead of now than the window allows. */
export function isFutureTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds > Math.floor(nowMs / 1000) + MAX_TIMESTAMP_SKEW_SECONDS;
}

/**
 * Answers a request dated in the future as Bolt answers a stale one (401, no body), before Bolt sees
 * it. Wall-clock time, as Bolt's own check uses: Slack's timestamps are real time, not the bot's clock.
 */
export function refuseFutureTimestamps(listener: RequestListener, onRefused: (timestamp: string) => void, nowMs = () => Date.now()): RequestListener {
  return (req, res) => {
    const header = req.headers['x-slack-request-timestamp'];
    if (isFutureTimestamp(header, nowMs())) {
      onRefused(String(header));
      res.writeHead(401).end();
      return;
    }
    listener(req, res);
  };
}
