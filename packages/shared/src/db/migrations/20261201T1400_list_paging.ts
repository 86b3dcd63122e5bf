import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * What a crawl made of its list pages, for operators and per-source health reports:
 * - crawls.list_pages: list pages read (column pages, TRS pages, JCMS dataproxy answers, plain
 *   list pages; not feeds or sitemaps);
 * - crawls.article_urls_found / article_urls_new: article links those pages listed, and how many
 *   of them no earlier crawl had fetched;
 * - crawls.stop_reason: why paging stopped, per start URL, distinct reasons joined by ", "
 *   (caught_up, end_of_list, max_pages, run_limit, empty_page, bad_answer);
 * - fetch_log.note: what the list reader noticed on a page it fetched (its family, links it could
 *   not use and why, a scan it cut short), so a fetched page can still say what it lost.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('crawls')
    .addColumn('list_pages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('article_urls_found', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('article_urls_new', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stop_reason', 'text')
    .execute();
  await db.schema.alterTable('fetch_log').addColumn('note', 'text').execute();
  // Whether a crawl still has URLs to do is asked after every fetch: answered from the few
  // pending rows, not by walking every URL the crawl claimed.
  await sql`create index crawl_urls_pending on crawl_urls (crawl_id) where done_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists crawl_urls_pending`.execute(db);
  await db.schema.alterTable('fetch_log').dropColumn('note').execute();
  await db.schema
    .alterTable('crawls')
    .dropColumn('list_pages')
    .dropColumn('article_urls_found')
    .dropColumn('article_urls_new')
    .dropColumn('stop_reason')
    .execute();
}
