import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * What a version asserts (its regions, periods and issue numbers, as the merge guard reads them),
 * each as a 32-bit hash. Past `max_candidates`, the indexer keeps first the LSH candidates whose
 * keys contain the text's or are contained in them. Reports from one template share nearly every
 * shingle, so with thousands of them the shared buckets alone do not tell a copy's original from
 * its siblings (bench:templated-scale: at 6,000 reports the original of a copy with a paragraph
 * dropped ranked up to 563rd of 2,000 candidates). A copy asserts nothing its original does not;
 * a sibling has a county, period or issue of its own.
 *
 * Null for versions stored before: unknown, ranked as if they matched (as before). Indexing a
 * version's own page again writes them, so `pnpm ops reparse` fills them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('article_versions')
    .addColumn('assertion_keys', sql`integer[]`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('article_versions').dropColumn('assertion_keys').execute();
}
