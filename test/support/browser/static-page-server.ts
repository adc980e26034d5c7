import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackResource } from '../system/open-resources';

/**
 * Another origin on 127.0.0.1 serving one HTML page: the platform that embeds the dashboard, or the page of an
 * attacker trying to post to it. `html` is asked at every request, so the page may name a server started later.
 */
export async function startStaticPageServer(html: () => string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const untrack = trackResource(server, `page server at ${url}`);
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      untrack();
    },
  };
}
