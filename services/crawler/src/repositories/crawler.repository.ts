import { sql } from 'kysely';
import {
  pagesRepo,
  type Db,
  type DbOrTx,
  type JobRequest,
  type ListPager,
  type NewFetchLog,
} from '@govwire/shared';
import { sourceConfigSchema, type SourceConfig } from '../sources/source-config';

export interface StoredSource {
  config: SourceConfig;
  enabled: boolean;
}

export async function findSource(db: DbOrTx, id: string): Promise<StoredSource | undefined> {
  const row = await db
    .selectFrom('sources')
    .select(['config', 'enabled'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return { config: sourceConfigSchema.parse(row.config), enabled: row.enabled };
}

export async function listSourceIds(db: DbOrTx): Promise<string[]> {
  return (await db.selectFrom('sources').select('id').orderBy('id').execute()).map((r) => r.id);
}

/**
 * Upserts every source of the file; sources no longer in it are disabled, never deleted (their
 * crawls, fetch log and pages keep pointing at them).
 */
export async function upsertSources(db: DbOrTx, sources: SourceConfig[]): Promise<{ disabled: string[] }> {
  for (const s of sources) {
    await db
      .insertInto('sources')
      .values({
        id: s.id,
        name: s.name,
        enabled: s.enabled,
        schedule: s.schedule ? `${s.schedule.cron} (${s.schedule.timezone})` : null,
        config: JSON.stringify(s),
        updated_at: sql<Date>`now()`,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: (eb) => eb.ref('excluded.name'),
          enabled: (eb) => eb.ref('excluded.enabled'),
          schedule: (eb) => eb.ref('excluded.schedule'),
          config: (eb) => eb.ref('excluded.config'),
          updated_at: sql<Date>`now()`,
        }),
      )
      .execute();
  }
  const ids = sources.map((s) => s.id);
  let q = db
    .updateTable('sources')
    .set({ enabled: false, updated_at: sql<Date>`now()` })
    .where('enabled', '=', true);
  if (ids.length) q = q.where('id', 'not in', ids);
  const disabled = await q.returning('id').execute();
  return { disabled: disabled.map((r) => r.id) };
}

export async function createCrawl(
  db: DbOrTx,
  c: { id: string; sourceId: string; trigger: string },
): Promise<void> {
  await db
    .insertInto('crawls')
    .values({ id: c.id, source_id: c.sourceId, trigger: c.trigger, started_at: sql<Date>`now()` })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export interface UrlToQueue {
  url: string;
  kind: string;
  depth: number;
  referrer: string | null;
  /** A POST instead of a GET (a JCMS dataproxy page); travels in the job, not in crawl_urls. */
  request?: JobRequest;
  pager?: ListPager;
}

/**
 * Claims URLs for a crawl under the crawl row's lock: URLs already claimed are dropped (fetched
 * once per crawl), and no more than `limit` are ever claimed in total (pages per run). Returns the
 * newly claimed ones; the caller enqueues them inside the same transaction.
 */
export async function claimUrls(
  tx: DbOrTx,
  crawlId: string,
  urls: UrlToQueue[],
  limit: number,
): Promise<{ claimed: UrlToQueue[]; overLimit: number }> {
  const crawl = await tx
    .selectFrom('crawls')
    .select(['pages_queued'])
    .where('id', '=', crawlId)
    .forUpdate()
    .executeTakeFirst();
  if (!crawl) throw new Error(`crawl ${crawlId} does not exist`);
  const unique = [...new Map(urls.map((u) => [u.url, u])).values()];
  if (unique.length === 0) return { claimed: [], overLimit: 0 };
  const existing = new Set(
    (
      await tx
        .selectFrom('crawl_urls')
        .select('url')
        .where('crawl_id', '=', crawlId)
        .where(
          'url',
          'in',
          unique.map((u) => u.url),
        )
        .execute()
    ).map((r) => r.url),
  );
  const fresh = unique.filter((u) => !existing.has(u.url));
  const room = Math.max(0, limit - crawl.pages_queued);
  const claimed = fresh.slice(0, room);
  if (claimed.length) {
    await tx
      .insertInto('crawl_urls')
      .values(
        claimed.map((u) => ({
          crawl_id: crawlId,
          url: u.url,
          kind: u.kind,
          depth: u.depth,
          referrer: u.referrer,
        })),
      )
      .execute();
    await tx
      .updateTable('crawls')
      .set((eb) => ({ pages_queued: eb('pages_queued', '+', claimed.length) }))
      .where('id', '=', crawlId)
      .execute();
  }
  return { claimed, overLimit: fresh.length - claimed.length };
}

/** Marks a crawl's URL done once (a replayed job does not count twice). */
export async function markUrlDone(
  db: DbOrTx,
  crawlId: string,
  url: string,
  outcome: string,
): Promise<boolean> {
  const updated = await db
    .updateTable('crawl_urls')
    .set({ done_at: sql<Date>`now()`, outcome })
    .where('crawl_id', '=', crawlId)
    .where('url', '=', url)
    .where('done_at', 'is', null)
    .returning('url')
    .execute();
  return updated.length > 0;
}

/**
 * Marks the crawl done once every claimed URL is. Run after the caller's transaction commits:
 * two last fetches finishing together each see the other's row once committed, so one of them
 * closes the crawl. (A counter on the crawls row would serialize every fetch of a crawl on that
 * row's lock for the length of a commit.)
 */
export async function finishCrawlIfDone(db: DbOrTx, crawlId: string): Promise<boolean> {
  const r = await db
    .updateTable('crawls')
    .set({
      status: 'done',
      finished_at: sql<Date>`now()`,
      pages_done: sql<number>`(select count(*) from crawl_urls where crawl_id = ${crawlId})`,
    })
    .where('id', '=', crawlId)
    .where('status', '=', 'running')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('crawl_urls').select('url').where('crawl_id', '=', crawlId).where('done_at', 'is', null),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function finishEmptyCrawl(db: DbOrTx, crawlId: string): Promise<void> {
  await db
    .updateTable('crawls')
    .set({ status: 'done', finished_at: sql<Date>`now()` })
    .where('id', '=', crawlId)
    .where('pages_queued', '=', 0)
    .execute();
}

export async function getUrlState(db: DbOrTx, url: string) {
  return db.selectFrom('url_state').selectAll().where('url', '=', url).executeTakeFirst();
}

export type UrlState = NonNullable<Awaited<ReturnType<typeof getUrlState>>>;

type UrlStateInput = {
  url: string;
  sourceId: string;
  crawlId: string;
  status: number;
  etag?: string | null | undefined;
  lastModified?: string | null | undefined;
  contentHash?: string | null | undefined;
};

function urlStateValues(s: UrlStateInput) {
  return {
    url: s.url,
    source_id: s.sourceId,
    last_crawl_id: s.crawlId,
    last_status: s.status,
    last_fetched_at: sql<Date>`now()`,
    ...(s.etag !== undefined ? { etag: s.etag } : {}),
    ...(s.lastModified !== undefined ? { last_modified: s.lastModified } : {}),
    ...(s.contentHash !== undefined ? { content_hash: s.contentHash } : {}),
  };
}

export async function saveUrlState(db: DbOrTx, s: UrlStateInput): Promise<void> {
  const values = urlStateValues(s);
  const { url: _url, ...update } = values;
  await db
    .insertInto('url_state')
    .values(values)
    .onConflict((oc) => oc.column('url').doUpdateSet(update))
    .execute();
}

export async function logFetch(db: DbOrTx, row: NewFetchLog): Promise<void> {
  await db
    .insertInto('fetch_log')
    .values({ ...row, error: row.error ? String(row.error).slice(0, 2000) : null })
    .execute();
}

export async function recordAttachments(
  db: DbOrTx,
  pageUrl: string,
  urls: string[],
  ctx: { sourceId: string; crawlId: string; contentType?: string | null },
): Promise<void> {
  if (!urls.length) return;
  await db
    .insertInto('page_attachments')
    .values(
      urls.map((url) => ({
        page_url: pageUrl,
        url,
        source_id: ctx.sourceId,
        crawl_id: ctx.crawlId,
        content_type: ctx.contentType ?? null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['page_url', 'url']).doUpdateSet({
        content_type: sql<string | null>`coalesce(excluded.content_type, page_attachments.content_type)`,
      }),
    )
    .execute();
}

/**
 * Of the article links a list page holds: those an earlier crawl already fetched (they have a
 * url_state row) and those this crawl has already queued.
 */
export async function linkStatus(
  db: DbOrTx,
  crawlId: string,
  urls: string[],
): Promise<{ known: Set<string>; inCrawl: Set<string> }> {
  if (urls.length === 0) return { known: new Set(), inCrawl: new Set() };
  const [known, inCrawl] = await Promise.all([
    db.selectFrom('url_state').select('url').where('url', 'in', urls).execute(),
    db
      .selectFrom('crawl_urls')
      .select('url')
      .where('crawl_id', '=', crawlId)
      .where('url', 'in', urls)
      .execute(),
  ]);
  return { known: new Set(known.map((r) => r.url)), inCrawl: new Set(inCrawl.map((r) => r.url)) };
}

/**
 * Counts one list page in its crawl's totals and, when paging stopped there, adds the reason to
 * the crawl's distinct stop reasons. Returns the run's totals so far.
 */
export async function recordListPage(
  db: DbOrTx,
  crawlId: string,
  page: { found: number; fresh: number; stop: string | undefined },
): Promise<{
  listPages: number;
  articleUrlsFound: number;
  articleUrlsNew: number;
  stopReason: string | null;
}> {
  const stop = page.stop ?? null;
  const row = await db
    .updateTable('crawls')
    .set((eb) => ({
      list_pages: eb('list_pages', '+', 1),
      article_urls_found: eb('article_urls_found', '+', page.found),
      article_urls_new: eb('article_urls_new', '+', page.fresh),
      stop_reason: sql<string | null>`case
        when ${stop}::text is null then stop_reason
        when stop_reason is null then ${stop}::text
        when ${stop}::text = any(string_to_array(stop_reason, ', ')) then stop_reason
        else stop_reason || ', ' || ${stop}::text end`,
    }))
    .where('id', '=', crawlId)
    .returning(['list_pages', 'article_urls_found', 'article_urls_new', 'stop_reason'])
    .executeTakeFirst();
  return {
    listPages: row?.list_pages ?? 0,
    articleUrlsFound: row?.article_urls_found ?? 0,
    articleUrlsNew: row?.article_urls_new ?? 0,
    stopReason: row?.stop_reason ?? null,
  };
}

/**
 * A fetched article's new version stored in one statement (data-modifying CTEs are atomic): the
 * page, its url_state for the next conditional GET, and its fetch_log row. One round trip and one
 * commit instead of three. Returns the page's id. The crawl URL is marked done apart, once the
 * parse job is queued, so a crawl is never done before the parse jobs of its pages are.
 */
export async function storeFetchedArticle(
  db: DbOrTx,
  page: pagesRepo.PageToSave,
  s: Parameters<typeof saveUrlState>[1],
  log: NewFetchLog,
): Promise<number> {
  const state = urlStateValues(s);
  const { url: _url, ...update } = state;
  const row = await db
    .with('page', (q) =>
      q
        .insertInto('pages')
        .values(pagesRepo.pageRow(page))
        .onConflict((oc) =>
          oc.columns(['url', 'content_hash']).doUpdateSet({ fetched_at: sql`excluded.fetched_at` }),
        )
        .returning('id'),
    )
    .with('state', (q) =>
      q
        .insertInto('url_state')
        .values(state)
        .onConflict((oc) => oc.column('url').doUpdateSet(update))
        .returning('url'),
    )
    .with('logged', (q) =>
      q
        .insertInto('fetch_log')
        .values({ ...log, error: log.error ? String(log.error).slice(0, 2000) : null })
        .returning('id'),
    )
    .selectFrom('page')
    .select('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * An unchanged copy of an indexed page was fetched again: moves last_seen_at forward on the URL,
 * the article it serves now (the most recently seen of the URL's articles) and the version it
 * serves, so the indexer's next recompute (last seen = latest of the versions) keeps it. Articles
 * first, then versions, then URLs: the order the indexer locks them in. Nothing moves backwards.
 */
export async function markArticleUrlSeen(db: Db, urls: string[], seenAt: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const target = await tx
      .selectFrom('article_urls')
      .select(['url', 'article_id', 'last_content_hash'])
      .where('url', 'in', [...new Set(urls)])
      .orderBy('last_seen_at', 'desc')
      .orderBy('article_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!target) return false;
    await tx
      .updateTable('articles')
      .set({ last_seen_at: seenAt })
      .where('id', '=', target.article_id)
      .where('last_seen_at', '<', seenAt)
      .execute();
    if (target.last_content_hash !== null) {
      await tx
        .updateTable('article_versions')
        .set({ last_seen_at: seenAt })
        .where('article_id', '=', target.article_id)
        .where('content_hash', '=', target.last_content_hash)
        .where('last_seen_at', '<', seenAt)
        .execute();
    }
    await tx
      .updateTable('article_urls')
      .set({ last_seen_at: seenAt })
      .where('url', '=', target.url)
      .where('article_id', '=', target.article_id)
      .where('last_seen_at', '<', seenAt)
      .execute();
    return true;
  });
}

export interface RunningCrawl {
  id: string;
  source_id: string;
  started_at: Date;
  pages_queued: number;
}

/** Crawls that have not ended, oldest first. */
export async function runningCrawls(db: DbOrTx): Promise<RunningCrawl[]> {
  const rows = await db
    .selectFrom('crawls')
    .select(['id', 'source_id', 'started_at', 'pages_queued'])
    .where('status', '=', 'running')
    .orderBy('started_at')
    .execute();
  return rows.map((r) => ({ ...r, started_at: new Date(r.started_at) }));
}

export interface OpenUrl {
  url: string;
  kind: string;
  depth: number;
  referrer: string | null;
  queued_at: Date;
  requeued_at: Date | null;
}

/** A crawl's URLs that have not reached a final outcome. */
export async function openUrls(db: DbOrTx, crawlId: string): Promise<OpenUrl[]> {
  const rows = await db
    .selectFrom('crawl_urls')
    .select(['url', 'kind', 'depth', 'referrer', 'queued_at', 'requeued_at'])
    .where('crawl_id', '=', crawlId)
    .where('done_at', 'is', null)
    .execute();
  return rows.map((r) => ({
    ...r,
    queued_at: new Date(r.queued_at),
    requeued_at: r.requeued_at ? new Date(r.requeued_at) : null,
  }));
}

/** Notes that a still-open URL's vanished job was queued again; false if the URL is done. */
export async function markUrlRequeued(db: DbOrTx, crawlId: string, url: string): Promise<boolean> {
  const r = await db
    .updateTable('crawl_urls')
    .set({ requeued_at: sql<Date>`now()` })
    .where('crawl_id', '=', crawlId)
    .where('url', '=', url)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Ends a crawl that never got a URL queued (its crawl-source job failed or was lost). */
export async function failEmptyCrawl(db: DbOrTx, crawlId: string, error: string): Promise<boolean> {
  const r = await db
    .updateTable('crawls')
    .set({ status: 'failed', finished_at: sql<Date>`now()`, pages_done: 0, error })
    .where('id', '=', crawlId)
    .where('status', '=', 'running')
    .where('pages_queued', '=', 0)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Notes on a crawl what the reconcile sweep had to decide for it (kept if a note is there). */
export async function noteCrawl(db: DbOrTx, crawlId: string, note: string): Promise<void> {
  await db
    .updateTable('crawls')
    .set({ error: sql<string>`coalesce(error || '; ', '') || ${note}` })
    .where('id', '=', crawlId)
    .execute();
}
