import type { ServiceDeps } from '@govwire/shared';
import { ParseBackpressure } from './fetch/backpressure';
import { HttpClient, httpClientOptions } from './fetch/http-client';
import { PolitenessGate } from './politeness/gate';
import { findSource, type StoredSource } from './repositories/crawler.repository';
import { RobotsService } from './robots/robots-service';

/** What the crawler's handlers need beyond the common service deps. */
export interface CrawlerRuntime {
  http: HttpClient;
  gate: PolitenessGate;
  robots: RobotsService;
  backpressure: ParseBackpressure;
  sources: SourceLookup;
}

export type CrawlerDeps = ServiceDeps & CrawlerRuntime;

/** Source configs read from Postgres, memoized briefly: every fetch job needs its source. */
export class SourceLookup {
  private readonly memo = new Map<string, { value: StoredSource | undefined; expires: number }>();
  constructor(
    private readonly deps: Pick<ServiceDeps, 'db'>,
    private readonly ttlMs = 5_000,
  ) {}

  async get(id: string): Promise<StoredSource | undefined> {
    const hit = this.memo.get(id);
    if (hit && hit.expires > Date.now()) return hit.value;
    const value = await findSource(this.deps.db, id);
    this.memo.set(id, { value, expires: Date.now() + this.ttlMs });
    return value;
  }
}

export function createCrawlerRuntime(
  deps: ServiceDeps,
  overrides: Partial<CrawlerRuntime> = {},
): CrawlerRuntime {
  const { config } = deps;
  const http = overrides.http ?? new HttpClient(httpClientOptions(config));
  return {
    http,
    // Slots are short leases renewed while the fetch runs: a crashed holder frees its host in seconds.
    gate: overrides.gate ?? new PolitenessGate(deps.redis, config.QUEUE_PREFIX),
    robots:
      overrides.robots ??
      new RobotsService(deps.redis, config.QUEUE_PREFIX, http, config.CRAWLER_ROBOTS_CACHE_TTL_S),
    backpressure:
      overrides.backpressure ??
      new ParseBackpressure(deps.queues.get('parser'), config.PARSE_QUEUE_HIGH_WATER),
    sources: overrides.sources ?? new SourceLookup(deps),
  };
}
