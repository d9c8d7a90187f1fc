// The local HTTP server every hostname is sent to: Chromium maps all names to it, Firefox uses it as
// its HTTP proxy. It answers any Host with a small page naming it, unless a test's handler answers.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface TestServer {
  readonly port: number;
  readonly origin: string;
  /** Every request seen, as "host path". */
  readonly requests: string[];
  /** Tests set this to serve feeds or faults; return true when handled. */
  handler: Handler | null;
  close(): Promise<void>;
}

/**
 * Firefox's own traffic (remote settings and other Mozilla services) also goes through its proxy, the
 * test server; it is the browser's, not the extension's. Matches a `requests` entry.
 */
export const BROWSER_OWN = /^(?:[\w-]+\.)*(?:mozilla\.(?:com|net|org)|firefox\.com|mozaws\.net) /;

/** A server that answers any Host with a small page naming it ("Loaded <host>"). */
export async function startServer(): Promise<TestServer> {
  const requests: string[] = [];
  const state: { handler: Handler | null } = { handler: null };
  const server = createServer((req, res) => {
    void (async () => {
      // Proxy-style absolute URIs (Firefox) and plain requests (Chromium host mapping) alike.
      const target = new URL(req.url ?? '/', `http://${req.headers.host ?? 'unknown'}`);
      requests.push(`${target.hostname} ${target.pathname}${target.search}`);
      if (state.handler && (await state.handler(req, res))) return;
      const body = `<!doctype html><title>Loaded ${target.hostname}</title><h1 id="loaded">Loaded ${target.hostname}</h1>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  // Firefox asks its proxy to CONNECT for https: logged, then refused (there is no TLS here). A blocked
  // https address never gets this far: the browser redirects it before connecting.
  server.on('connect', (req, socket) => {
    requests.push(`${(req.url ?? '').replace(/:\d+$/, '')} CONNECT`);
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    get handler() {
      return state.handler;
    },
    set handler(h) {
      state.handler = h;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
