import diagnostics from 'node:diagnostics_channel';
import { lookup as dnsLookup } from 'node:dns';
import { promises as dns } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { Agent, request } from 'undici';
import { PermanentError, TransientError, type Config } from '@govwire/shared';
import { waitUntil } from '../politeness/wait';
import { isAllowlisted, isPrivateAddress } from './address-guard';

export interface FetchRequest {
  url: string;
  /** Extra request headers (conditional GET). */
  headers?: Record<string, string>;
  /**
   * A form POST instead of a GET (a JCMS dataproxy page). A 307/308 redirect repeats it; a
   * 301/302/303 turns it into a GET, as browsers do.
   */
  form?: string;
  /** Runs before every hop, the first included (robots.txt, link rules); throws to stop. */
  checkHop?: (url: string, hop: number) => Promise<void>;
  /** Whether to read the body of this response; unread bodies are discarded. Default: 2xx only. */
  wantBody?: (status: number, headers: Record<string, string>) => boolean;
  maxBytes?: number;
  /**
   * `performance.now()` before which the first request must not be written (a politeness slot's
   * start). Waited for after the checks, just before sending, so nothing but the write follows it.
   */
  notBefore?: number;
}

export interface FetchResponse {
  url: string;
  finalUrl: string;
  status: number;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Decoded (content-encoding removed) body, or undefined when not read. */
  body: Buffer | undefined;
  /** Bytes of the decoded body. */
  bytes: number;
  ms: number;
  /**
   * `performance.now()` when the final response's headers arrived: the server had surely received
   * the request by then, so the politeness gate counts the next request's interval from it.
   */
  answeredAt: number;
  /**
   * `performance.now()` when the final request was written to its socket (undici's sendHeaders),
   * or `answeredAt` when that was not seen: the politeness gate counts the next interval from it.
   */
  sentAt: number;
  /** Every URL requested, in order (redirect hops). */
  hops: string[];
}

export interface HttpClientOptions {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  allowedPrivateHosts: readonly string[];
}

export function httpClientOptions(config: Config): HttpClientOptions {
  return {
    connectTimeoutMs: config.FETCH_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.FETCH_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: config.FETCH_BODY_TIMEOUT_MS,
    maxBytes: config.FETCH_MAX_BYTES,
    maxRedirects: config.FETCH_MAX_REDIRECTS,
    userAgent: `Mozilla/5.0 (compatible; govwire/0.1; +${config.CRAWLER_CONTACT_URL})`,
    allowedPrivateHosts: config.CRAWLER_ALLOWED_PRIVATE_HOSTS,
  };
}

function hostAllowlistedAnyPort(hostname: string, allow: readonly string[]): boolean {
  return allow.some((e) => e.trim().toLowerCase().replace(/:\d+$/, '') === hostname.toLowerCase());
}

const TRANSIENT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ABORT_ERR',
  'Z_BUF_ERROR',
  'Z_DATA_ERROR',
]);

/** Network-level failures are transient; an unknown error is rethrown as it is (also retried). */
function classifyNetworkError(err: unknown, url: string): Error {
  if (err instanceof PermanentError || err instanceof TransientError) return err;
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code =
    e?.code ??
    e?.cause?.code ??
    (e?.name === 'AbortError' || e?.name === 'TimeoutError' ? 'ABORT_ERR' : undefined);
  if (code && TRANSIENT_CODES.has(code)) {
    const what = code.startsWith('UND_ERR_') && code.endsWith('TIMEOUT') ? 'timeout' : 'network';
    return new TransientError(what, `${code} fetching ${url}: ${e.message ?? ''}`.trim(), { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * undici with the crawler's rules: timeouts for connect, headers and body; a body size cap;
 * redirects followed by hand (each hop checked against the SSRF guard and the caller's checks,
 * loops detected); gzip, deflate and br decoded; a User-Agent naming govwire and its contact URL.
 */
export class HttpClient {
  private readonly agent: Agent;
  /**
   * When this client's requests in flight were written to their sockets, by `writeKey` (0: not
   * yet). The channel is process-wide: writes of requests this client is not awaiting are ignored.
   */
  private readonly written = new Map<string, number>();
  private readonly onSendHeaders = (message: unknown): void => {
    const { request: r } = message as { request: { method: string; origin: unknown; path: string } };
    const key = writeKey(r.method, String(r.origin), r.path);
    if (this.written.has(key)) this.written.set(key, performance.now());
  };

  constructor(readonly opts: HttpClientOptions) {
    // Guard at connect time too, so a DNS answer that changes after our check cannot slip through.
    const guardedLookup: LookupFunction = (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, '', 0);
        const list = addresses as unknown as Array<{ address: string; family: number }>;
        if (!hostAllowlistedAnyPort(hostname, opts.allowedPrivateHosts)) {
          const bad = list.find((a) => isPrivateAddress(a.address));
          if (bad) {
            const e = Object.assign(new Error(`${hostname} resolves to private address ${bad.address}`), {
              code: 'EPRIVATE',
            });
            return callback(e, '', 0);
          }
        }
        if ((options as { all?: boolean }).all) return callback(null, list as never);
        const first = list[0]!;
        return callback(null, first.address, first.family);
      });
    };
    this.agent = new Agent({
      connect: { timeout: opts.connectTimeoutMs, lookup: guardedLookup },
      headersTimeout: opts.headersTimeoutMs,
      bodyTimeout: opts.bodyTimeoutMs,
      connections: 64,
    });
    diagnostics.subscribe('undici:client:sendHeaders', this.onSendHeaders);
  }

  /** Refuses loopback/private/link-local targets unless allowlisted (host, or host:port). */
  async assertPublic(url: URL): Promise<void> {
    if (isAllowlisted(url, this.opts.allowedPrivateHosts)) return;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = (await dns.lookup(host, { all: true })).map((a) => a.address);
      } catch (err) {
        throw classifyNetworkError(err, url.toString());
      }
    }
    const bad = addresses.find(isPrivateAddress);
    if (bad) {
      throw new PermanentError(
        'private_address',
        `refused ${url.toString()}: ${host} is ${bad}, a loopback/private/link-local address (allowlist it in CRAWLER_ALLOWED_PRIVATE_HOSTS)`,
      );
    }
  }

  async fetch(req: FetchRequest): Promise<FetchResponse> {
    const started = performance.now();
    const maxBytes = req.maxBytes ?? this.opts.maxBytes;
    const hops: string[] = [];
    const seen = new Set<string>();
    let current = req.url;
    let form = req.form;
    let sentAt: number | undefined;
    // The whole exchange has a deadline too: a server trickling one byte per idle-timeout would
    // otherwise hold a worker forever.
    const deadlineMs = this.opts.connectTimeoutMs + this.opts.headersTimeoutMs + 2 * this.opts.bodyTimeoutMs;
    const deadline = AbortSignal.timeout(deadlineMs);
    // Cut at the deadline, whatever undici makes of the abort, is a timeout (retried as one).
    const failed = (err: unknown, url: string): Error =>
      deadline.aborted && !(err instanceof PermanentError)
        ? new TransientError('timeout', `${url}: no complete answer within ${deadlineMs} ms`, { cause: err })
        : classifyNetworkError(err, url);
    for (let hop = 0; ; hop++) {
      const url = new URL(current);
      if (seen.has(url.toString())) {
        throw new PermanentError('redirect_loop', `redirect loop: ${[...hops, url.toString()].join(' → ')}`);
      }
      if (hop > this.opts.maxRedirects) {
        throw new PermanentError(
          'too_many_redirects',
          `more than ${this.opts.maxRedirects} redirects: ${hops.join(' → ')}`,
        );
      }
      seen.add(url.toString());
      hops.push(url.toString());
      await this.assertPublic(url);
      await req.checkHop?.(url.toString(), hop);
      if (hop === 0 && req.notBefore !== undefined) await waitUntil(req.notBefore);
      const method = form === undefined ? 'GET' : 'POST';
      const key = writeKey(method, url.origin, url.pathname + url.search);
      let res: Awaited<ReturnType<typeof request>>;
      this.written.set(key, 0);
      try {
        res = await request(url, {
          method,
          dispatcher: this.agent,
          signal: deadline,
          headers: {
            'user-agent': this.opts.userAgent,
            accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
            'accept-encoding': 'gzip, deflate, br',
            'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5',
            ...(form === undefined
              ? {}
              : { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' }),
            ...(hop === 0 ? req.headers : {}),
          },
          ...(form === undefined ? {} : { body: form }),
        });
      } catch (err) {
        if (
          (err as { code?: string })?.code === 'EPRIVATE' ||
          (err as { cause?: { code?: string } })?.cause?.code === 'EPRIVATE'
        ) {
          throw new PermanentError('private_address', `refused ${url.toString()}: ${(err as Error).message}`);
        }
        throw failed(err, url.toString());
      } finally {
        sentAt = this.written.get(key) || undefined;
        this.written.delete(key);
      }
      const answeredAt = performance.now();
      const headers = flattenHeaders(res.headers);
      const location = headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && res.statusCode !== 304 && location) {
        await res.body.dump();
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new PermanentError(
            'bad_redirect',
            `unparseable Location "${location}" from ${url.toString()}`,
          );
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new PermanentError('bad_redirect', `redirect to non-http URL ${next.toString()}`);
        }
        next.hash = '';
        current = next.toString();
        if (res.statusCode !== 307 && res.statusCode !== 308) form = undefined;
        continue;
      }
      const base = {
        url: req.url,
        finalUrl: url.toString(),
        status: res.statusCode,
        headers,
        hops,
        answeredAt,
        sentAt: Math.min(sentAt ?? answeredAt, answeredAt),
      };
      const want = req.wantBody
        ? req.wantBody(res.statusCode, headers)
        : res.statusCode >= 200 && res.statusCode < 300;
      if (!want) {
        await res.body.dump().catch(() => undefined);
        return { ...base, body: undefined, bytes: 0, ms: Math.round(performance.now() - started) };
      }
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.body.destroy();
        throw tooLarge(url.toString(), `Content-Length ${declared}`, maxBytes);
      }
      const body = await readBody(res.body, headers['content-encoding'], maxBytes, url.toString()).catch(
        (err: unknown) => {
          throw failed(err, url.toString());
        },
      );
      return { ...base, body, bytes: body.length, ms: Math.round(performance.now() - started) };
    }
  }

  /**
   * Closes the connections. A request still in flight is aborted rather than awaited: at shutdown
   * its job has been handed back to the queue (SHUTDOWN_GRACE_MS), and a server that never
   * answers must not keep the process alive.
   */
  async close(): Promise<void> {
    diagnostics.unsubscribe('undici:client:sendHeaders', this.onSendHeaders);
    await this.agent.destroy();
  }
}

/** A request as undici's diagnostics name it: method, origin (no trailing slash), path and query. */
function writeKey(method: string, origin: string, path: string): string {
  return `${method} ${origin.replace(/\/$/, '')}${path}`;
}

function tooLarge(url: string, what: string, max: number): PermanentError {
  return new PermanentError(
    'too_large',
    `${url} is too large: ${what} exceeds FETCH_MAX_BYTES (${max} bytes)`,
  );
}

export function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/**
 * `Content-Encoding: deflate` means zlib-wrapped deflate, but some old IIS and JCMS servers send
 * raw deflate; the first two bytes tell which.
 */
class InflateAuto extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (!this.inner) {
      const b0 = chunk[0] ?? 0;
      const b1 = chunk[1] ?? 0;
      const zlibHeader = chunk.length >= 2 && (b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0;
      this.inner = zlibHeader ? zlib.createInflate() : zlib.createInflateRaw();
      this.inner.on('data', (d: Buffer) => this.push(d));
      this.inner.on('error', (err) => this.destroy(err));
    }
    this.inner.write(chunk, () => cb());
  }

  override _flush(cb: TransformCallback): void {
    if (!this.inner) return cb();
    this.inner.once('end', () => cb());
    this.inner.end();
  }
}

async function readBody(
  body: Readable,
  encoding: string | undefined,
  maxBytes: number,
  url: string,
): Promise<Buffer> {
  const decoders = (encoding ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e && e !== 'identity')
    .reverse()
    .map((e) => {
      if (e === 'gzip' || e === 'x-gzip') return zlib.createGunzip();
      if (e === 'deflate') return new InflateAuto();
      if (e === 'br') return zlib.createBrotliDecompress();
      throw new PermanentError('bad_encoding', `unsupported Content-Encoding "${e}" from ${url}`);
    });
  let stream: Readable = body;
  for (const d of decoders) {
    const src = stream;
    src.on('error', (err) => d.destroy(err));
    stream = src.pipe(d);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) throw tooLarge(url, `body of more than ${total} bytes`, maxBytes);
      chunks.push(chunk as Buffer);
    }
  } finally {
    if (total > maxBytes || !body.readableEnded) body.destroy();
  }
  return Buffer.concat(chunks, total);
}
