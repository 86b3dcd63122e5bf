import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/** The columns holding an article's text: each is compressed on every insert of a version. */
const TEXT_COLUMNS: [string, string][] = [
  ['articles', 'body'],
  ['articles', 'body_simplified'],
  ['article_versions', 'text'],
  ['article_versions', 'text_simplified'],
  ['article_versions', 'paragraphs'],
  ['article_versions', 'metrics'],
];

/**
 * Two costs of indexing an article, removed (issue 15):
 *
 * - `dedup_lock_slots`: the indexer locked the rows of every LSH bucket of its batch (~2,000 per
 *   batch of 50), so any two batches shared a row and ran one after the other anyway, at the price
 *   of 83k row locks per 2,000 articles. The indexer now takes one advisory lock per transaction
 *   (services/indexer/src/repositories/dedup.repository.ts, lockIndex); the table goes.
 * - The article texts are compressed with lz4 instead of pglz where the server has it: about a
 *   tenth of Postgres's CPU per article went to compressing four copies of its text. Only rows
 *   written from now on are lz4; older rows are read as they are.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists dedup_lock_slots`.execute(db);
  if (!(await hasLz4(db))) return;
  for (const [table, column] of TEXT_COLUMNS)
    await sql`alter table ${sql.id(table)} alter column ${sql.id(column)} set compression lz4`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, column] of TEXT_COLUMNS)
    await sql`alter table ${sql.id(table)} alter column ${sql.id(column)} set compression default`.execute(
      db,
    );
  await sql`create table dedup_lock_slots (slot integer primary key)`.execute(db);
  await sql`insert into dedup_lock_slots (slot) select generate_series(0, 65535)`.execute(db);
}

/** Whether this server was built with lz4 (a build without it refuses `set compression lz4`). */
async function hasLz4(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ lz4: boolean }>`
    select 'lz4' = any (enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(
    db,
  );
  return rows[0]?.lz4 === true;
}
