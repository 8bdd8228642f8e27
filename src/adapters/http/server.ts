import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';

/**
 * One port for everything: Slack's events go to Bolt's own request listener (which verifies the
 * signature on the raw body), everything else to the HTTP API.
 */
export async function startHttpServer(options: {
  host: string;
  port: number;
  api: Hono;
  slack?: RequestListener;
  slackPathPrefix?: string;
}): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const apiListener = getRequestListener(options.api.fetch);
  const prefix = options.slackPathPrefix ?? '/slack/';
  const server = createServer((req, res) => {
    if (options.slack && req.url?.startsWith(prefix)) {
      try {
        options.slack(req, res);
      } catch {
        // Bolt throws for paths it does not serve; answer like any unknown route.
        res.writeHead(404).end();
      }
      return;
    }
    void apiListener(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
