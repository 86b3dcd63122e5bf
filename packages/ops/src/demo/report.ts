import { sql } from 'kysely';
import { withoutPassword, type Db } from '@govwire/shared';

export interface DemoReport {
  pagesFetched: number;
  /** Fetched again and found unchanged (304 or same bytes): not parsed again, by design. */
  pagesUnchanged: number;
  fetchFailures: number;
  articles: number;
  /** Article URLs that joined an existing article instead of making a new one. */
  duplicatesMerged: number;
  metrics: number;
  failedJobs: number;
  articleTitles: Array<{ id: number; title: string; urls: number; metrics: number }>;
  /** What each source's crawl read: list pages, article links, articles stored. */
  sources: SourceLine[];
}

export interface SourceLine {
  sourceId: string;
  listPages: number;
  articleLinks: number;
  newLinks: number;
  stopReason: string | null;
  /** Articles (after merging duplicates) holding at least one URL of this source. */
  articles: number;
}

async function sourceLine(db: Db, crawlId: string, sourceId: string): Promise<SourceLine> {
  const crawl = await db
    .selectFrom('crawls')
    .select(['list_pages', 'article_urls_found', 'article_urls_new', 'stop_reason'])
    .where('id', '=', crawlId)
    .executeTakeFirstOrThrow();
  const articles = await db
    .selectFrom('article_urls')
    .select(sql<number>`count(distinct article_id)`.as('n'))
    .where('source_id', '=', sourceId)
    .executeTakeFirstOrThrow();
  return {
    sourceId,
    listPages: crawl.list_pages,
    articleLinks: crawl.article_urls_found,
    newLinks: crawl.article_urls_new,
    stopReason: crawl.stop_reason,
    articles: Number(articles.n),
  };
}

/** What the demo's crawls left in Postgres: read back from the tables, not from the workers' counters. */
export async function demoReport(
  db: Db,
  crawls: Array<{ crawlId: string; sourceId: string }>,
): Promise<DemoReport> {
  const crawlIds = crawls.map((c) => c.crawlId);
  const sourceIds = crawls.map((c) => c.sourceId);
  const fetches = await db
    .selectFrom('fetch_log')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('outcome', '=', 'fetched').as('fetched'),
      eb.fn.countAll<number>().filterWhere('outcome', '=', 'unchanged').as('unchanged'),
      eb.fn.countAll<number>().filterWhere('outcome', '=', 'failed').as('failed'),
    ])
    .where('crawl_id', 'in', crawlIds)
    .executeTakeFirstOrThrow();
  const articles = await db
    .selectFrom('article_urls as u')
    .innerJoin('articles as a', 'a.id', 'u.article_id')
    .select((eb) => [
      'a.id',
      'a.title',
      eb.fn.count<number>('u.url').as('urls'),
      eb
        .selectFrom('article_metrics as m')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('m.article_id', '=', 'a.id')
        .as('metrics'),
    ])
    .where('u.source_id', 'in', sourceIds)
    .groupBy(['a.id', 'a.title'])
    .orderBy('a.id')
    .execute();
  const failedJobs = await db
    .selectFrom('failures')
    .select(sql<number>`count(*)`.as('n'))
    .where('source_id', 'in', sourceIds)
    .where('status', '=', 'failed')
    .executeTakeFirstOrThrow();
  const urls = articles.reduce((n, a) => n + Number(a.urls), 0);
  return {
    pagesFetched: Number(fetches.fetched) + Number(fetches.unchanged),
    pagesUnchanged: Number(fetches.unchanged),
    fetchFailures: Number(fetches.failed),
    articles: articles.length,
    duplicatesMerged: urls - articles.length,
    metrics: articles.reduce((n, a) => n + Number(a.metrics ?? 0), 0),
    failedJobs: Number(failedJobs.n),
    articleTitles: articles.map((a) => ({
      id: a.id,
      title: a.title,
      urls: Number(a.urls),
      metrics: Number(a.metrics ?? 0),
    })),
    sources: await Promise.all(crawls.map((c) => sourceLine(db, c.crawlId, c.sourceId))),
  };
}

export function formatReport(r: DemoReport, opts: { seconds: number; databaseUrl: string }): string {
  const lines = [
    'govwire demo crawl',
    `  pages fetched       ${r.pagesFetched}${r.pagesUnchanged ? ` (${r.pagesUnchanged} unchanged since the last crawl, not parsed again)` : ''}${r.fetchFailures ? ` (${r.fetchFailures} fetches failed)` : ''}`,
    `  articles stored     ${r.articles}`,
    `  duplicates merged   ${r.duplicatesMerged}`,
    `  metrics extracted   ${r.metrics}`,
    `  failed jobs         ${r.failedJobs}${r.failedJobs ? ' (see `pnpm ops failed`)' : ''}`,
    `  seconds             ${opts.seconds.toFixed(1)}`,
    '',
    '  per source: list pages read, article links they listed (new to the store), articles stored, why paging stopped',
    ...r.sources.map(
      (s) =>
        `  ${s.sourceId.padEnd(12)} ${String(s.listPages).padStart(2)} list page(s), ${s.articleLinks} article link(s) (${s.newLinks} new), ${s.articles} article(s)${s.stopReason ? `, stopped: ${s.stopReason}` : ''}`,
    ),
    '',
    ...r.articleTitles.map((a) => `  #${a.id} ${a.title} — ${a.urls} URL(s), ${a.metrics} metric(s)`),
    '',
    // The password never goes on screen: psql asks for it.
    `Look at them: psql "${withoutPassword(opts.databaseUrl)}" -c 'select region, indicator, period, value, unit, change_pct, rank from curated.metrics order by region, indicator'`,
    ...(withoutPassword(opts.databaseUrl) !== opts.databaseUrl
      ? ['(psql asks for the password; PGPASSWORD or ~/.pgpass spare the typing)']
      : []),
  ];
  return lines.join('\n');
}
