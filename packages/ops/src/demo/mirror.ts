import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One page of the demo mirror site, served byte for byte. */
export interface MirrorPage {
  path: string;
  body: Buffer;
  contentType: string;
}

export interface MirrorSite {
  baseUrl: string;
  /** Requests served, by path: the demo reports them and tests assert on them. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** A page answered by code (a JCMS dataproxy, which reads its POSTed form). */
export type MirrorRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * A tiny static site on 127.0.0.1 that stands in for a government portal: the crawler meets real
 * HTTP (status codes, charset in the Content-Type header, robots.txt) without any external site.
 */
export async function startMirrorSite(
  pages: MirrorPage[],
  port: number,
  routes: Record<string, MirrorRoute> = {},
): Promise<MirrorSite> {
  const byPath = new Map(pages.map((p) => [p.path, p]));
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://mirror').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path];
    if (route) {
      route(req, res).catch(() => res.destroy());
      return;
    }
    const page = byPath.get(path);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': page.contentType, 'content-length': page.body.length });
    res.end(req.method === 'HEAD' ? undefined : page.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${actual}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
