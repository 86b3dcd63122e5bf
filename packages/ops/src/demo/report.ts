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
}

/** What one crawl left in Postgres: read back from the tables, not from the workers' counters. */
export async function demoReport(db: Db, opts: { crawlId: string; sourceId: string }): Promise<DemoReport> {
  const fetches = await db
    .selectFrom('fetch_log')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('outcome', '=', 'fetched').as('fetched'),
      eb.fn.countAll<number>().filterWhere('outcome', '=', 'unchanged').as('unchanged'),
      eb.fn.countAll<number>().filterWhere('outcome', '=', 'failed').as('failed'),
    ])
    .where('crawl_id', '=', opts.crawlId)
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
    .where('u.source_id', '=', opts.sourceId)
    .groupBy(['a.id', 'a.title'])
    .orderBy('a.id')
    .execute();
  const failedJobs = await db
    .selectFrom('failures')
    .select(sql<number>`count(*)`.as('n'))
    .where('source_id', '=', opts.sourceId)
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
