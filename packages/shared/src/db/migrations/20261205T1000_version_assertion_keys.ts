import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * What a version asserts (its regions, periods, issue numbers and figures, as the merge guard reads
 * them), each as a 32-bit hash: the indexer ranks a text's LSH candidates by how many of its own
 * assertions a candidate lacks before it cuts them to `max_candidates`. Reports from one template
 * share nearly every shingle, so with thousands of them the shared buckets alone do not tell a
 * copy's original from its siblings (bench:templated-scale: at 6,000 reports the original of a
 * copy with a paragraph dropped ranked up to 563rd of 2,000 candidates). A copy asserts nothing its
 * original does not; a sibling differs in its county, issue, period or figures.
 *
 * Null for versions stored before: unknown, ranked as if they lacked nothing (as before).
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
