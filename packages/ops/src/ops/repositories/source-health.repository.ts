import { sql } from 'kysely';
import type { DbOrTx } from '@govwire/shared';

/**
 * What each crawl yielded, computed from the record every time rather than from counters a replay
 * would leave stale: the latest final fetch_log row per URL, each stored page's parse_outcome, the
 * article versions a page made, the facts whose values come from those versions, and failures.
 */
export interface CrawlRun {
  crawlId: string;
  sourceId: string;
  trigger: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  urlsQueued: number;
  error: string | null;
}

/** The newest `perSource` crawls of each source (or of one source), newest first. */
export async function recentRuns(
  db: DbOrTx,
  opts: { sourceId?: string | undefined; perSource: number },
): Promise<CrawlRun[]> {
  const r = await sql<{
    id: string;
    source_id: string;
    trigger: string;
    status: string;
    started_at: Date;
    finished_at: Date | null;
    pages_queued: number;
    error: string | null;
  }>`
    select id, source_id, trigger, status, started_at, finished_at, pages_queued, error from (
      select c.*, row_number() over (partition by source_id order by started_at desc, id desc) as rn
      from crawls c
      where ${opts.sourceId !== undefined ? sql`source_id = ${opts.sourceId}` : sql`true`}
    ) ranked
    where rn <= ${opts.perSource}
    order by source_id, started_at desc, id desc`.execute(db);
  return r.rows.map((x) => ({
    crawlId: x.id,
    sourceId: x.source_id,
    trigger: x.trigger,
    status: x.status,
    startedAt: new Date(x.started_at),
    finishedAt: x.finished_at ? new Date(x.finished_at) : null,
    urlsQueued: x.pages_queued,
    error: x.error,
  }));
}

export interface RunYield {
  /** Each URL counted once, by its latest final fetch (a replay that worked turns `failed` into `fetched`). */
  fetch: { fetched: number; unchanged: number; skipped: number; failed: number };
  fetchFailedBy: Record<string, number>;
  skippedBy: Record<string, number>;
  /** Stored pages by parse_outcome; `pending` = still queued, or lost. */
  parse: { parsed: number; noArticle: number; failed: number; pending: number };
  parseFailedBy: Record<string, number>;
  /**
   * Pages that became articles: `new` created one, `updated` added a version to the article their
   * URL already had, `merged` joined an article another URL had made (exact or near duplicate).
   */
  articles: { new: number; updated: number; merged: number };
  /** Facts (article_metrics rows) whose values come from versions this crawl's pages made. */
  facts: number;
}

export function emptyYield(): RunYield {
  return {
    fetch: { fetched: 0, unchanged: 0, skipped: 0, failed: 0 },
    fetchFailedBy: {},
    skippedBy: {},
    parse: { parsed: 0, noArticle: 0, failed: 0, pending: 0 },
    parseFailedBy: {},
    articles: { new: 0, updated: 0, merged: 0 },
    facts: 0,
  };
}

/** The yield of each given crawl, in five queries whatever their number. */
export async function runYields(db: DbOrTx, crawlIds: string[]): Promise<Map<string, RunYield>> {
  const out = new Map(crawlIds.map((id) => [id, emptyYield()]));
  if (crawlIds.length === 0) return out;
  const of = (id: string) => out.get(id)!;
  await Promise.all([
    fetchOutcomes(db, crawlIds, of),
    parseOutcomes(db, crawlIds, of),
    parseFailures(db, crawlIds, of),
    articleOutcomes(db, crawlIds, of),
    factsStored(db, crawlIds, of),
  ]);
  return out;
}

type YieldOf = (crawlId: string) => RunYield;

const ids = (crawlIds: string[]) =>
  sql.join(
    crawlIds.map((id) => sql`${id}`),
    sql`, `,
  );

async function fetchOutcomes(db: DbOrTx, crawlIds: string[], of: YieldOf): Promise<void> {
  const r = await sql<{ crawl_id: string; outcome: string; reason: string; n: number }>`
    select crawl_id, outcome, coalesce(substring(error from '^\\[([^\\]]+)\\]'), 'other') as reason,
           count(*)::int as n
    from (
      select distinct on (crawl_id, url) crawl_id, outcome, error from fetch_log
      where crawl_id in (${ids(crawlIds)}) and outcome <> 'retry'
      order by crawl_id, url, id desc
    ) latest
    group by 1, 2, 3`.execute(db);
  for (const row of r.rows) {
    const y = of(row.crawl_id);
    const outcome = row.outcome as keyof RunYield['fetch'];
    if (outcome in y.fetch) y.fetch[outcome] += row.n;
    if (outcome === 'failed') y.fetchFailedBy[row.reason] = (y.fetchFailedBy[row.reason] ?? 0) + row.n;
    if (outcome === 'skipped') y.skippedBy[row.reason] = (y.skippedBy[row.reason] ?? 0) + row.n;
  }
}

async function parseOutcomes(db: DbOrTx, crawlIds: string[], of: YieldOf): Promise<void> {
  const r = await sql<{ crawl_id: string; outcome: string | null; n: number }>`
    select crawl_id, parse_outcome as outcome, count(*)::int as n from pages
    where crawl_id in (${ids(crawlIds)}) group by 1, 2`.execute(db);
  for (const row of r.rows) {
    const p = of(row.crawl_id).parse;
    if (row.outcome === 'article') p.parsed += row.n;
    else if (row.outcome === 'no_article') p.noArticle += row.n;
    else if (row.outcome === 'failed') p.failed += row.n;
    else p.pending += row.n;
  }
}

/** The reason of each failed page: its newest parse or index failure. */
async function parseFailures(db: DbOrTx, crawlIds: string[], of: YieldOf): Promise<void> {
  const r = await sql<{ crawl_id: string; code: string; n: number }>`
    select p.crawl_id, coalesce(f.error_code, 'unrecorded') as code, count(*)::int as n
    from pages p
    left join lateral (
      select error_code from failures
      where payload ? 'page' and (payload #>> '{page,pageId}') = p.id::text and queue <> 'crawler'
      order by failed_at desc, id desc limit 1
    ) f on true
    where p.crawl_id in (${ids(crawlIds)}) and p.parse_outcome = 'failed'
    group by 1, 2`.execute(db);
  for (const row of r.rows) of(row.crawl_id).parseFailedBy[row.code] = row.n;
}

async function articleOutcomes(db: DbOrTx, crawlIds: string[], of: YieldOf): Promise<void> {
  const r = await sql<{ crawl_id: string; kind: string; n: number }>`
    select crawl_id, kind, count(*)::int as n from (
      select p.crawl_id,
        case
          when exists (select 1 from article_versions v where v.page_id = p.id and v.match_kind = 'new')
            then 'new'
          when exists (select 1 from pages p0
                       where p0.url = p.url and p0.id < p.id and p0.parse_outcome = 'article')
            then case when exists (select 1 from article_versions v where v.page_id = p.id)
                      then 'updated' else 'same' end
          else 'merged'
        end as kind
      from pages p
      where p.crawl_id in (${ids(crawlIds)}) and p.parse_outcome = 'article'
    ) k
    group by 1, 2`.execute(db);
  for (const row of r.rows) {
    const a = of(row.crawl_id).articles;
    if (row.kind === 'new' || row.kind === 'updated' || row.kind === 'merged') a[row.kind] += row.n;
  }
}

async function factsStored(db: DbOrTx, crawlIds: string[], of: YieldOf): Promise<void> {
  const r = await sql<{ crawl_id: string; n: number }>`
    select v.crawl_id, count(*)::int as n
    from article_versions v
    join article_metrics m on m.article_id = v.article_id and m.version_id = v.id
    where v.crawl_id in (${ids(crawlIds)})
    group by 1`.execute(db);
  for (const row of r.rows) of(row.crawl_id).facts = row.n;
}

export interface SourceRow {
  sourceId: string;
  name: string | null;
  enabled: boolean | null;
  /** Final failures not yet replayed or discarded, all queues. */
  openFailures: number;
  goneUrls: number;
}

/** Every known source (and any source that only has crawls), with its open failures and gone URLs. */
export async function sourceRows(db: DbOrTx, sourceId?: string): Promise<SourceRow[]> {
  const r = await sql<{
    source_id: string;
    name: string | null;
    enabled: boolean | null;
    open_failures: number;
    gone_urls: number;
  }>`
    with known as (
      select id as source_id from sources
      union select distinct source_id from crawls
    )
    select k.source_id, s.name, s.enabled,
      (select count(*)::int from failures f where f.source_id = k.source_id and f.status = 'failed')
        as open_failures,
      (select count(*)::int from url_state u where u.source_id = k.source_id and u.gone_at is not null)
        as gone_urls
    from known k left join sources s on s.id = k.source_id
    where ${sourceId !== undefined ? sql`k.source_id = ${sourceId}` : sql`true`}
    order by 1`.execute(db);
  return r.rows.map((x) => ({
    sourceId: x.source_id,
    name: x.name,
    enabled: x.enabled,
    openFailures: x.open_failures,
    goneUrls: x.gone_urls,
  }));
}
