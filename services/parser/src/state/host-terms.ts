import type { Redis } from 'ioredis';

/**
 * Memory of terms that generic detection found on a host's pages. A term found on one page is weak
 * evidence; the same term found on several different pages of one host is that host's injected
 * spam, and is then removed from every page of the host, wherever it stands.
 *
 * Why Redis: the memory is a cache of evidence, rebuilt by parsing, not a record (Postgres holds
 * records); every parser worker must see the same counts at once; and Redis bounds it cheaply.
 * Bounds: per host, a sorted set of at most MAX_TERMS terms (the lowest-scored are trimmed) and a
 * set of the page hashes already counted (so a replayed job does not count twice), reset when it
 * passes MAX_PAGES; both expire after TTL_S without new pages.
 */
export interface HostTermMemory {
  /** Terms seen on at least `minPages` distinct pages of the host. */
  confirmed(host: string): Promise<string[]>;
  /** Counts this page's discovered terms once per distinct page (by content hash). */
  record(host: string, pageHash: string, terms: string[]): Promise<void>;
}

const MAX_TERMS = 500;
const MAX_PAGES = 20_000;
const TTL_S = 30 * 24 * 3600;

export function redisHostTermMemory(
  redis: Redis,
  opts: { prefix: string; minPages?: number; cacheMs?: number; now?: () => number },
): HostTermMemory {
  const minPages = opts.minPages ?? 3;
  const cacheMs = opts.cacheMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; terms: string[] }>();
  const termsKey = (host: string) => `${opts.prefix}:parser:host-terms:${host}`;
  const pagesKey = (host: string) => `${opts.prefix}:parser:host-pages:${host}`;
  return {
    async confirmed(host) {
      const c = cache.get(host);
      if (c && now() - c.at < cacheMs) return c.terms;
      const terms = await redis.zrangebyscore(termsKey(host), minPages, '+inf');
      cache.set(host, { at: now(), terms });
      if (cache.size > 10_000) cache.clear();
      return terms;
    },
    async record(host, pageHash, terms) {
      const unique = [...new Set(terms)].filter((t) => t.length >= 2 && t.length <= 12);
      if (unique.length === 0) return;
      const added = await redis.sadd(pagesKey(host), pageHash);
      if (added === 0) return; // this page was counted already (a replay)
      const multi = redis.multi();
      for (const t of unique) multi.zincrby(termsKey(host), 1, t);
      multi.zremrangebyrank(termsKey(host), 0, -(MAX_TERMS + 1));
      multi.expire(termsKey(host), TTL_S);
      multi.expire(pagesKey(host), TTL_S);
      multi.scard(pagesKey(host));
      const res = await multi.exec();
      const pages = Number(res?.[res.length - 1]?.[1] ?? 0);
      if (pages > MAX_PAGES) await redis.del(pagesKey(host));
      cache.delete(host);
    },
  };
}

/** The same contract in memory: for tests and the one-shot CLI. */
export function memoryHostTermMemory(minPages = 3): HostTermMemory {
  const counts = new Map<string, Map<string, number>>();
  const seen = new Set<string>();
  return {
    async confirmed(host) {
      return [...(counts.get(host) ?? new Map<string, number>())]
        .filter(([, n]) => n >= minPages)
        .map(([t]) => t);
    },
    async record(host, pageHash, terms) {
      if (seen.has(`${host} ${pageHash}`)) return;
      seen.add(`${host} ${pageHash}`);
      const m = counts.get(host) ?? new Map<string, number>();
      for (const t of new Set(terms)) m.set(t, (m.get(t) ?? 0) + 1);
      counts.set(host, m);
    },
  };
}
