import { gzipSync } from 'node:zlib';
import {
  decodeBytes,
  pagesRepo,
  DelayJobError,
  GovwireError,
  PermanentError,
  TransientError,
  errorCode,
  errorMessage,
  settleUnparsedPage,
  sha256Hex,
  type JobContext,
  type JobData,
} from '@govwire/shared';
import { acceptable, bodyKind } from '../fetch/content-type';
import type { FetchResponse } from '../fetch/http-client';
import { retryAfterMs } from '../fetch/retry-after';
import {
  attachmentsInHtml,
  extractFromFeed,
  extractFromSitemap,
  type ExtractedLinks,
} from '../links/extract';
import { proxyTarget } from '../links/jcms';
import { linkRules } from '../links/rules';
import {
  getUrlState,
  logFetch,
  finishCrawlIfDone,
  markArticleUrlSeen,
  markUrlDone,
  recordAttachments,
  storeFetchedArticle,
  saveUrlState,
  type UrlToQueue,
} from '../repositories/crawler.repository';
import type { CrawlerDeps } from '../runtime';
import type { SourceConfig } from '../sources/source-config';
import { hostKey, normalizeUrl, originOf } from '../url/normalize';
import { skipGoneUrls } from './gone-urls';
import { readAndQueueListPage } from './list-page';
import { queueFetches } from './queue-fetches';

/** A URL the crawler decided not to fetch (robots, link rules, not HTML): skipped, not failed. */
class SkipFetch extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Sitemap indexes nest; more than this many levels is a loop or a trap. */
const MAX_SITEMAP_DEPTH = 3;
/** Retry-After answers honoured for one job before it is treated as a transient failure. */
const MAX_RETRY_AFTER_DELAYS = 10;
/** Back-off for a 429 that does not say how long to wait. */
const DEFAULT_429_BACKOFF_MS = 30_000;

export type FetchOutcome =
  | { outcome: 'fetched'; status: number; pageId?: number; queued?: number }
  | { outcome: 'unchanged'; status: number }
  | { outcome: 'skipped'; reason: string };

export function fetchPageHandler(deps: CrawlerDeps) {
  return skipGoneUrls(deps, async (data, ctx, urlState): Promise<FetchOutcome> => {
    const { config, db } = deps;
    const log = ctx.log;
    const stored = await deps.sources.get(data.sourceId);
    if (!stored)
      throw new PermanentError('unknown_source', `source "${data.sourceId}" is not in the sources table`);
    const source = stored.config;
    const url = normalizeUrl(data.url);
    const host = hostKey(url);
    const rules = linkRules(source);
    const finalAttempt = ctx.job.attemptsMade + 1 >= (ctx.job.opts.attempts ?? 1);
    const logRow = { crawl_id: data.crawlId, source_id: data.sourceId, url };

    const skip = async (code: string, reason: string, extra: Partial<FetchResponse> = {}) => {
      log.info({ code, reason }, 'fetch skipped');
      await logFetch(db, {
        ...logRow,
        final_url: extra.finalUrl ?? null,
        status: extra.status ?? null,
        bytes: extra.bytes ?? null,
        ms: extra.ms ?? null,
        outcome: 'skipped',
        error: `[${code}] ${reason}`,
      });
      await urlDone(deps, data.crawlId, url, 'skipped');
      return { outcome: 'skipped' as const, reason: `[${code}] ${reason}` };
    };

    /** Records why a fetch did not happen, then skips (robots, rules) or rethrows. */
    const fetchFailed = async (err: unknown): Promise<FetchOutcome> => {
      if (err instanceof SkipFetch) return skip(err.code, err.message);
      if (err instanceof DelayJobError) throw err;
      const permanent = err instanceof GovwireError && !err.retryable;
      const msg = `[${errorCode(err)}] ${errorMessage(err)}`;
      await failLog(deps, logRow, permanent || finalAttempt, msg);
      if (permanent || finalAttempt) await urlDone(deps, data.crawlId, url, 'failed');
      if (permanent) throw err;
      throw err instanceof GovwireError ? err : new TransientError('network', msg, { cause: err });
    };

    await deps.backpressure.check();

    const limits = {
      maxInFlight: source.politeness.maxInFlight ?? config.CRAWLER_DEFAULT_MAX_IN_FLIGHT,
      minIntervalMs: source.politeness.minIntervalMs ?? config.CRAWLER_DEFAULT_MIN_INTERVAL_MS,
    };

    // robots.txt first; fetching it takes one of the host's politeness slots like any request.
    const origin = originOf(url);
    let robots = await deps.robots.cached(origin);
    if (!robots) {
      const token = await deps.gate.acquireOrDelay(host, limits, String(ctx.job.id));
      try {
        robots = await deps.robots.fetch(origin);
      } catch (err) {
        return await fetchFailed(err);
      } finally {
        await deps.gate.release(host, token);
      }
    }
    const verdict = robots.check(url);
    if (!verdict.allowed) {
      if (verdict.reason === 'disallowed') return skip('robots_disallowed', `${url}: ${verdict.detail}`);
      await failLog(deps, logRow, finalAttempt, `[robots_unavailable] ${verdict.detail}`);
      if (finalAttempt) await urlDone(deps, data.crawlId, url, 'failed');
      throw new TransientError(
        'robots_unavailable',
        `${origin}: ${verdict.detail}; not fetching until it answers`,
      );
    }
    const crawlDelayS = verdict.crawlDelayS ?? 0;
    if (crawlDelayS > config.CRAWLER_MAX_CRAWL_DELAY_S) {
      log.warn(
        { host, crawlDelayS, cap: config.CRAWLER_MAX_CRAWL_DELAY_S },
        'host skipped: Crawl-delay above the cap',
      );
      return skip(
        'crawl_delay_too_long',
        `${host} asks Crawl-delay ${crawlDelayS}s > CRAWLER_MAX_CRAWL_DELAY_S ${config.CRAWLER_MAX_CRAWL_DELAY_S}`,
      );
    }
    const hostLimits = {
      ...limits,
      minIntervalMs: Math.max(limits.minIntervalMs, Math.round(crawlDelayS * 1000)),
    };

    const state =
      data.kind !== 'article' ? undefined : urlState === undefined ? await getUrlState(db, url) : urlState;
    const conditional: Record<string, string> = {};
    if (state?.etag) conditional['if-none-match'] = state.etag;
    if (state?.last_modified) conditional['if-modified-since'] = state.last_modified;

    // The slot's start is waited for inside the client, after its checks, just before the write.
    const { token, startAt } = await deps.gate.acquireSlot(host, hostLimits, String(ctx.job.id));
    // A redirect to another host takes a slot of that host too: its politeness is not ours to skip.
    const otherHostSlots: Array<{ host: string; token: string }> = [];
    let res: FetchResponse;
    let backOffMs: number | undefined;
    let sentAt: number | undefined;
    try {
      res = await deps.http.fetch({
        notBefore: startAt,
        // A dataproxy page is known by its URL with the form in the query; the POST carries the form.
        url: data.request ? proxyTarget(url, data.request.form) : url,
        ...(data.request ? { form: data.request.form } : {}),
        headers: conditional,
        checkHop: async (hopUrl, hop) => {
          if (hop === 0) return;
          const hopHost = hostKey(hopUrl);
          if (hopHost !== host && !otherHostSlots.some((s) => s.host === hopHost)) {
            otherHostSlots.push({
              host: hopHost,
              token: await deps.gate.acquireOrDelay(hopHost, limits, String(ctx.job.id)),
            });
          }
          const hopRobots = await deps.robots.policyFor(originOf(hopUrl));
          const v = hopRobots.check(hopUrl);
          if (!v.allowed) throw new SkipFetch(`robots_${v.reason}`, `redirect to ${hopUrl}: ${v.detail}`);
          if (data.kind === 'article' && !rules.admits(normalizeUrl(hopUrl))) {
            throw new SkipFetch('link_rules', `redirect to ${hopUrl} is outside the source's link rules`);
          }
        },
        // Read bodies of 2xx answers whose type we can use; the rest is recorded and dropped.
        wantBody: (status, headers) => {
          if (status < 200 || status >= 300) return false;
          const ct = headers['content-type'];
          const k = bodyKind(ct);
          // No type, or text/plain: read it and sniff (old servers mislabel HTML).
          return k === 'html' || k === 'xml' || !ct || /^text\/plain\b/i.test(ct);
        },
      });
      sentAt = res.sentAt;
      if (res.status === 429 || (res.status === 503 && res.headers['retry-after'])) {
        // Backed off before the slot is released, so no other worker slips in meanwhile.
        // The URL waits what it was told (up to CRAWLER_MAX_RETRY_AFTER_S); the host as a whole
        // pauses at most CRAWLER_MAX_HOST_BACKOFF_S, so one absurd answer cannot park a column.
        const asked = retryAfterMs(res.headers['retry-after']);
        backOffMs = Math.min(asked ?? DEFAULT_429_BACKOFF_MS, config.CRAWLER_MAX_RETRY_AFTER_S * 1000);
        await deps.gate.backOff(
          hostKey(res.finalUrl),
          Math.min(backOffMs, config.CRAWLER_MAX_HOST_BACKOFF_S * 1000),
        );
      }
    } catch (err) {
      return await fetchFailed(err);
    } finally {
      // The write of the request starts the next interval (no answer: now does).
      await deps.gate.release(host, token, sentAt);
      for (const o of otherHostSlots) await deps.gate.release(o.host, o.token, sentAt);
    }
    const base = { ...logRow, final_url: res.finalUrl, status: res.status, bytes: res.bytes, ms: res.ms };

    if (res.status === 304) {
      await logFetch(db, { ...base, outcome: 'unchanged', error: null });
      await markArticleUrlSeen(db, [url, res.finalUrl], new Date());
      await saveUrlState(db, { url, sourceId: source.id, crawlId: data.crawlId, status: 304 });
      if (state?.content_hash) await requeueIfNeverParsed(deps, url, state.content_hash, source, log);
      await urlDone(deps, data.crawlId, url, 'unchanged');
      return { outcome: 'unchanged', status: 304 };
    }

    if (backOffMs !== undefined) {
      const waitMs = backOffMs;
      const delays = await countDelay(deps, String(ctx.job.id));
      const msg = `[http_${res.status}] ${hostKey(res.finalUrl)} asked us to wait ${Math.round(waitMs / 1000)} s (Retry-After: ${res.headers['retry-after'] ?? 'none'})`;
      if (delays > MAX_RETRY_AFTER_DELAYS) {
        await failLog(deps, base, finalAttempt, msg);
        if (finalAttempt) await urlDone(deps, data.crawlId, url, 'failed');
        throw new TransientError(
          `http_${res.status}`,
          `${msg}; answered ${delays} times, retrying with backoff`,
        );
      }
      await logFetch(db, { ...base, outcome: 'retry', error: msg });
      throw new DelayJobError(Date.now() + waitMs, msg);
    }

    if (res.status >= 500 || res.status === 408) {
      const msg = `[http_${res.status}] ${res.finalUrl} answered ${res.status}`;
      await failLog(deps, base, finalAttempt, msg);
      if (finalAttempt) await urlDone(deps, data.crawlId, url, 'failed');
      throw new TransientError(`http_${res.status}`, msg);
    }
    if (res.status >= 300) {
      const msg = `[http_${res.status}] ${res.finalUrl} answered ${res.status}`;
      await logFetch(db, { ...base, outcome: 'failed', error: msg });
      await saveUrlState(db, { url, sourceId: source.id, crawlId: data.crawlId, status: res.status });
      await urlDone(deps, data.crawlId, url, 'failed');
      throw new PermanentError(`http_${res.status}`, msg);
    }

    const contentType = res.headers['content-type'];
    const kindOfBody = bodyKind(contentType, res.body);
    if (kindOfBody === 'attachment' && data.referrer) {
      await recordAttachments(db, data.referrer, [url], {
        sourceId: source.id,
        crawlId: data.crawlId,
        contentType: contentType ?? null,
      });
    }
    if (!res.body || !acceptable(data.kind, kindOfBody)) {
      return skip(
        'not_html',
        `${res.finalUrl} is ${contentType ?? 'of no declared type'}, not a ${data.kind} page`,
        res,
      );
    }

    if (data.kind === 'article')
      return storeArticle(deps, data, source, url, res, state?.content_hash ?? null, ctx);

    if (data.kind === 'list' || data.kind === 'dataproxy')
      return readAndQueueListPage(deps, data, source, url, res, ctx);

    const decoded = decodeBytes(res.body, { contentType, charsetOverride: source.charset });
    const opts = {
      baseUrl: normalizeUrl(res.finalUrl),
      rules,
      maxLinks: config.CRAWLER_MAX_LINKS_PER_PAGE,
    };
    let links: ExtractedLinks;
    try {
      links =
        data.kind === 'sitemap'
          ? extractFromSitemap(decoded.text, opts)
          : extractFromFeed(decoded.text, opts);
    } catch (err) {
      throw new PermanentError(
        'unparseable',
        `${res.finalUrl}: cannot read ${data.kind}: ${errorMessage(err)}`,
      );
    }
    const toQueue: UrlToQueue[] = links.articles.map((u) => ({
      url: u,
      kind: 'article',
      depth: data.depth,
      referrer: url,
    }));
    const nextDepth = data.depth + 1;
    if (data.kind === 'sitemap' && nextDepth < MAX_SITEMAP_DEPTH) {
      toQueue.unshift(
        ...links.next.map((u) => ({ url: u, kind: 'sitemap', depth: nextDepth, referrer: url })),
      );
    }
    const { queued, overLimit } = await queueFetches(deps, source, data.crawlId, toQueue);
    if (overLimit > 0) log.warn({ overLimit, limit: source.maxPagesPerRun }, 'pages-per-run limit reached');
    await db.transaction().execute(async (tx) => {
      await recordAttachments(tx, url, links.attachments, { sourceId: source.id, crawlId: data.crawlId });
      await logFetch(tx, { ...base, outcome: 'fetched', error: null });
      await saveUrlState(tx, { url, sourceId: source.id, crawlId: data.crawlId, status: res.status });
      await markUrlDone(tx, data.crawlId, url, 'fetched');
    });
    await finishCrawlIfDone(db, data.crawlId);
    log.info(
      { articles: links.articles.length, next: links.next.length, queued, charset: decoded.charset },
      'links queued',
    );
    return { outcome: 'fetched', status: res.status, queued };
  });
}

async function storeArticle(
  deps: CrawlerDeps,
  data: JobData<'fetch-page'>,
  source: SourceConfig,
  url: string,
  res: FetchResponse,
  previousHash: string | null,
  ctx: JobContext,
): Promise<FetchOutcome> {
  const { db } = deps;
  const body = res.body!;
  const contentHash = sha256Hex(body);
  const validators = { etag: res.headers.etag ?? null, lastModified: res.headers['last-modified'] ?? null };
  const base = {
    crawl_id: data.crawlId,
    source_id: data.sourceId,
    url,
    final_url: res.finalUrl,
    status: res.status,
    bytes: res.bytes,
    ms: res.ms,
  };
  // What the next conditional GET needs, whether or not the content changed.
  const urlState = {
    url,
    sourceId: source.id,
    crawlId: data.crawlId,
    status: res.status,
    ...validators,
    contentHash,
  };
  if (previousHash === contentHash) {
    await logFetch(db, { ...base, outcome: 'unchanged', error: null });
    await markArticleUrlSeen(db, [url, res.finalUrl], new Date());
    await saveUrlState(db, urlState);
    await requeueIfNeverParsed(deps, url, contentHash, source, ctx.log);
    await urlDone(deps, data.crawlId, url, 'unchanged');
    return { outcome: 'unchanged', status: res.status };
  }
  const fetchedAt = new Date();
  const toSave = {
    url,
    finalUrl: res.finalUrl,
    sourceId: source.id,
    crawlId: data.crawlId,
    status: res.status,
    contentHash,
    headers: res.headers,
    bodyGzip: gzipSync(body),
    bytes: body.length,
    fetchedAt,
  };
  const pageId = await storeFetchedArticle(db, toSave, urlState, {
    ...base,
    outcome: 'fetched',
    error: null,
  });
  // The job refers to the stored page: its bytes are gzipped once, and live in one place.
  const page = {
    pageId,
    contentHash,
    url,
    finalUrl: res.finalUrl,
    sourceId: source.id,
    crawlId: data.crawlId,
    fetchedAt: fetchedAt.toISOString(),
    status: res.status,
    charsetOverride: source.charset ?? null,
  };
  await deps.queues.enqueue('parse-page', { page }, { jobId: `parse-${pageId}` });
  let attachments: string[] = [];
  try {
    const decoded = decodeBytes(body, {
      contentType: res.headers['content-type'],
      charsetOverride: source.charset,
    });
    attachments = attachmentsInHtml(decoded.text, normalizeUrl(res.finalUrl), linkRules(source));
  } catch (err) {
    // Attachments are a by-product: a page the scan cannot read is still the parser's to judge.
    ctx.log.warn({ err: errorMessage(err) }, 'could not scan article for attachments');
  }
  await recordAttachments(db, url, attachments, { sourceId: source.id, crawlId: data.crawlId });
  await urlDone(deps, data.crawlId, url, 'fetched');
  return { outcome: 'fetched', status: res.status, pageId };
}

/**
 * An unchanged page is not parsed again, unless it never was: its parse or index job was lost (a
 * Redis that kept nothing), and without this a re-crawl would call it unchanged forever while the
 * article is missing. A page whose job is still queued is left alone.
 */
async function requeueIfNeverParsed(
  deps: CrawlerDeps,
  url: string,
  contentHash: string,
  source: SourceConfig,
  log: JobContext['log'],
): Promise<void> {
  const page = await pagesRepo.findPageVersion(deps.db, url, contentHash);
  if (!page || page.parse_outcome !== null) return;
  const fate = await settleUnparsedPage(deps, page, { charsetOverride: source.charset ?? null });
  if (fate !== 'live') log.warn({ pageId: page.id, fate }, 'unchanged page had never been parsed');
}

/** A URL of the crawl reached its final outcome; the crawl may be complete with it. */
async function urlDone(
  deps: Pick<CrawlerDeps, 'db'>,
  crawlId: string,
  url: string,
  outcome: string,
): Promise<void> {
  await markUrlDone(deps.db, crawlId, url, outcome);
  await finishCrawlIfDone(deps.db, crawlId);
}

async function failLog(
  deps: Pick<CrawlerDeps, 'db'>,
  row: {
    crawl_id: string;
    source_id: string;
    url: string;
    final_url?: string | null;
    status?: number | null;
    bytes?: number | null;
    ms?: number | null;
  },
  finalAttempt: boolean,
  error: string,
): Promise<void> {
  await logFetch(deps.db, {
    final_url: null,
    status: null,
    bytes: null,
    ms: null,
    ...row,
    outcome: finalAttempt ? 'failed' : 'retry',
    error,
  });
}

async function countDelay(deps: Pick<CrawlerDeps, 'redis' | 'config'>, jobId: string): Promise<number> {
  const key = `${deps.config.QUEUE_PREFIX}:crawler:retry-after:${jobId}`;
  const n = await deps.redis.incr(key);
  await deps.redis.expire(key, 24 * 3600);
  return n;
}
