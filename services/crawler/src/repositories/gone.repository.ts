import { sql } from 'kysely';
import type { DbOrTx } from '@govwire/shared';

/** When the URL was marked gone, or null while it is fetched as usual. */
export async function goneSince(db: DbOrTx, url: string): Promise<Date | null> {
  const row = await db.selectFrom('url_state').select('gone_at').where('url', '=', url).executeTakeFirst();
  return row?.gone_at ? new Date(row.gone_at) : null;
}

/**
 * Counts one more crawl whose fetch of the URL failed permanently (a replay within the same crawl
 * counts once), and marks the URL gone when `goneAfter` crawls in a row have failed.
 */
export async function countFailedCrawl(
  db: DbOrTx,
  f: { url: string; sourceId: string; crawlId: string; reason: string; goneAfter: number },
): Promise<{ failedCrawls: number; gone: boolean }> {
  const failedCrawls = sql<number>`case when url_state.last_failed_crawl_id = ${f.crawlId}
    then url_state.failed_crawls else url_state.failed_crawls + 1 end`;
  const goneAfter = f.goneAfter > 0 ? f.goneAfter : null;
  const row = await db
    .insertInto('url_state')
    .values({
      url: f.url,
      source_id: f.sourceId,
      failed_crawls: 1,
      last_failed_crawl_id: f.crawlId,
      gone_at: goneAfter !== null && goneAfter <= 1 ? sql<Date>`now()` : null,
      gone_reason: goneAfter !== null && goneAfter <= 1 ? f.reason : null,
    })
    .onConflict((oc) =>
      oc.column('url').doUpdateSet({
        failed_crawls: failedCrawls,
        last_failed_crawl_id: f.crawlId,
        gone_at: sql<Date | null>`case when ${goneAfter}::int is not null and ${failedCrawls} >= ${goneAfter}::int
          then coalesce(url_state.gone_at, now()) else url_state.gone_at end`,
        gone_reason: sql<
          string | null
        >`case when ${goneAfter}::int is not null and ${failedCrawls} >= ${goneAfter}::int
          then ${f.reason} else url_state.gone_reason end`,
      }),
    )
    .returning(['failed_crawls', 'gone_at'])
    .executeTakeFirstOrThrow();
  return { failedCrawls: row.failed_crawls, gone: row.gone_at !== null };
}

/** A good fetch ends the run of failures (a no-op write for the usual URL that never failed). */
export async function clearFailedCrawls(db: DbOrTx, url: string): Promise<void> {
  await db
    .updateTable('url_state')
    .set({ failed_crawls: 0, last_failed_crawl_id: null })
    .where('url', '=', url)
    .where('failed_crawls', '>', 0)
    .execute();
}
