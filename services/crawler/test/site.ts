import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local web site for crawler tests: routes by path, a log of every request, and the peak
 * number of requests in flight at once (what the politeness tests measure).
 */
export type Route = (req: IncomingMessage, res: ServerResponse, n: number) => void | Promise<void>;

export interface RequestRecord {
  path: string;
  startedAt: number;
  endedAt?: number;
  headers: IncomingMessage['headers'];
}

export interface Site {
  origin: string;
  url(path: string): string;
  requests: RequestRecord[];
  hits(path: string): RequestRecord[];
  peakInFlight: number;
  close(): Promise<void>;
}

export async function startSite(routes: Record<string, Route>): Promise<Site> {
  const counts = new Map<string, number>();
  const site = {
    requests: [] as RequestRecord[],
    peakInFlight: 0,
    inFlight: 0,
  };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const rec: RequestRecord = { path, startedAt: Date.now(), headers: req.headers };
    site.requests.push(rec);
    site.inFlight++;
    site.peakInFlight = Math.max(site.peakInFlight, site.inFlight);
    res.on('close', () => {
      site.inFlight--;
      rec.endedAt = Date.now();
    });
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    const route = routes[path] ?? routes[path.split('?')[0]!];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(route(req, res, n)).catch((err: unknown) => {
      res.destroy(err as Error);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (p) => `${origin}${p}`,
    get requests() {
      return site.requests;
    },
    get peakInFlight() {
      return site.peakInFlight;
    },
    hits: (p) => site.requests.filter((r) => r.path === p),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function html(body: string | Buffer, headers: Record<string, string> = {}, status = 200): Route {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
  };
}

export function listPage(title: string, links: string[], extra = ''): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>
<div class="top"><a href="/">首页</a></div>
<ul class="news-list">${links.map((l, i) => `<li><a href="${l}">新闻 ${i + 1}</a><span>2023-03-2${i % 10}</span></li>`).join('\n')}</ul>
${extra}
<div class="footer">主办：浙江省人民政府办公厅</div></body></html>`;
}

export function articlePage(title: string, paragraphs: string[]): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>
<div class="article"><h1>${title}</h1><div class="info">发布时间：2023-03-28 来源：柯桥发布</div>
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</div></body></html>`;
}
