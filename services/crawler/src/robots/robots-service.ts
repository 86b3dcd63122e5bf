import type { Redis } from 'ioredis';
import { PermanentError, TransientError } from '@govwire/shared';
import type { HttpClient } from '../fetch/http-client';
import { RobotsPolicy, robotsRecordFromResponse, type RobotsRecord } from './robots';

/** robots.txt bodies past this are cut (RFC 9309 asks parsers to read at least 500 KiB). */
const MAX_ROBOTS_BYTES = 512 * 1024;
/** An unreadable robots.txt is asked for again after this, not after the full cache TTL. */
const UNAVAILABLE_TTL_S = 60;
/** In-process memo in front of Redis: robots.txt is consulted for every URL. */
const LOCAL_TTL_MS = 30_000;

/**
 * robots.txt per origin, cached in Redis (shared by every crawler process) for
 * `CRAWLER_ROBOTS_CACHE_TTL_S`, with a short in-process memo in front.
 */
export class RobotsService {
  private readonly local = new Map<string, { policy: RobotsPolicy; expires: number }>();
  /** Fetches under way in this process: concurrent jobs on one origin share one request. */
  private readonly inFlight = new Map<string, Promise<RobotsPolicy>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly http: HttpClient,
    private readonly ttlS: number,
  ) {}

  private key(origin: string): string {
    return `${this.prefix}:crawler:robots:${origin}`;
  }

  async cached(origin: string): Promise<RobotsPolicy | undefined> {
    const hit = this.local.get(origin);
    if (hit && hit.expires > Date.now()) return hit.policy;
    const raw = await this.redis.get(this.key(origin));
    if (!raw) return undefined;
    const policy = new RobotsPolicy(origin, JSON.parse(raw) as RobotsRecord);
    this.local.set(origin, { policy, expires: Date.now() + LOCAL_TTL_MS });
    return policy;
  }

  /** Fetches robots.txt now (the caller holds the host's politeness slot) and caches it. */
  fetch(origin: string): Promise<RobotsPolicy> {
    const running = this.inFlight.get(origin);
    if (running) return running;
    const p = this.fetchNow(origin).finally(() => this.inFlight.delete(origin));
    this.inFlight.set(origin, p);
    return p;
  }

  private async fetchNow(origin: string): Promise<RobotsPolicy> {
    let record: RobotsRecord;
    try {
      const res = await this.http.fetch({
        url: `${origin}/robots.txt`,
        maxBytes: 4 * MAX_ROBOTS_BYTES,
        wantBody: (status) => status >= 200 && status < 300,
      });
      record = robotsRecordFromResponse(
        res.status,
        (res.body ?? Buffer.alloc(0)).subarray(0, MAX_ROBOTS_BYTES).toString('utf8'),
      );
    } catch (err) {
      // A refused address is the SSRF guard speaking, not the host being down.
      if (err instanceof PermanentError && err.code === 'private_address') throw err;
      const why = err instanceof Error ? err.message : String(err);
      if (!(err instanceof TransientError) && !(err instanceof PermanentError)) throw err;
      record = { kind: 'unavailable', reason: why };
    }
    const ttl = record.kind === 'unavailable' ? Math.min(UNAVAILABLE_TTL_S, this.ttlS) : this.ttlS;
    await this.redis.set(this.key(origin), JSON.stringify(record), 'EX', Math.max(1, ttl));
    const policy = new RobotsPolicy(origin, record);
    this.local.set(origin, { policy, expires: Date.now() + Math.min(LOCAL_TTL_MS, ttl * 1000) });
    return policy;
  }

  async policyFor(origin: string): Promise<RobotsPolicy> {
    return (await this.cached(origin)) ?? (await this.fetch(origin));
  }
}
