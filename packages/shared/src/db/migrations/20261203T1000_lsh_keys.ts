import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.
//
// The LSH bands of a version move from 32-64 rows of `article_lsh_bands` (two btree entries, a
// heap row and a foreign-key check each: the most expensive statement of a batch) into one array
// column of the version, written with it, and a lean look-up table kept from that column by
// triggers: one bigint key and the version per row, one btree. A key packs the band's triple
// losslessly into a bigint:
// segment code (zh 1, en 2) << 40 | band << 32 | the bucket's 32 bits (buckets are signed int4),
// the same packing as `lshKey` in services/indexer/src/dedup/fingerprint.ts.

const KEY_OF_BAND = sql`((case b.segment when 'zh' then 1 when 'en' then 2 end)::bigint << 40)
  | (b.band::bigint << 32) | (b.bucket::bigint & 4294967295)`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('article_versions')
    .addColumn('lsh_keys', sql`bigint[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
  await sql`
    update article_versions v set lsh_keys = k.keys
      from (select b.version_id, array_agg(${KEY_OF_BAND} order by b.segment, b.band) as keys
              from article_lsh_bands b group by b.version_id) k
     where v.id = k.version_id`.execute(db);
  await lookupTable(db);
  await db.schema.dropTable('article_lsh_bands').execute();
}

/**
 * `article_lsh_keys`: key → versions, for the candidate look-up (a btree range per key, the
 * article id in the index, counting shared keys by grouping rows). A GIN index on the array was
 * tried and measured: it counts shared keys by comparing every key of every candidate with every
 * key of the text (64 × 64 per candidate), and templated texts have thousands of candidates once
 * the table is large: on bench:index with 16,000 articles the look-up grew from 0.7 to 3.2 ms per
 * text, against 0.6 to 0.8 ms with rows. Rows are written by a statement trigger from the inserted
 * versions' arrays (any writer, one statement), and deleted with their version.
 */
async function lookupTable(db: Kysely<any>): Promise<void> {
  await sql`
    create table article_lsh_keys (
      key bigint not null,
      version_id bigint not null,
      article_id bigint not null,
      primary key (key, version_id) include (article_id))`.execute(db);
  await sql`
    insert into article_lsh_keys (key, version_id, article_id)
    select k, v.id, v.article_id from article_versions v cross join unnest(v.lsh_keys) k
    on conflict do nothing`.execute(db);
  await sql`
    create function article_versions_keys_inserted() returns trigger language plpgsql as $$
    begin
      insert into article_lsh_keys (key, version_id, article_id)
      select k, n.id, n.article_id from new_rows n cross join unnest(n.lsh_keys) k
      on conflict do nothing;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger article_versions_keys_inserted after insert on article_versions
      referencing new table as new_rows for each statement execute function article_versions_keys_inserted()`.execute(
    db,
  );
  await sql`
    create function article_versions_keys_deleted() returns trigger language plpgsql as $$
    begin
      delete from article_lsh_keys l using old_rows o where l.key = any (o.lsh_keys) and l.version_id = o.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger article_versions_keys_deleted after delete on article_versions
      referencing old table as old_rows for each statement execute function article_versions_keys_deleted()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('article_lsh_bands')
    .addColumn('segment', 'text', (c) => c.notNull())
    .addColumn('band', 'smallint', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('version_id', 'bigint', (c) =>
      c.notNull().references('article_versions.id').onDelete('cascade'),
    )
    .addColumn('article_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_lsh_bands_pk', ['segment', 'band', 'bucket', 'version_id'])
    .execute();
  await db.schema
    .createIndex('article_lsh_bands_version')
    .on('article_lsh_bands')
    .column('version_id')
    .execute();
  // The low 32 bits back to a signed int4: values from 2^31 on are the negative buckets.
  await sql`
    insert into article_lsh_bands (segment, band, bucket, version_id, article_id)
    select case k.key >> 40 when 1 then 'zh' when 2 then 'en' end, ((k.key >> 32) & 255)::smallint,
           ((k.key & 4294967295) - case when (k.key & 2147483648) <> 0 then 4294967296 else 0 end)::int,
           v.id, v.article_id
      from article_versions v cross join unnest(v.lsh_keys) as k(key)
    on conflict do nothing`.execute(db);
  await sql`drop trigger if exists article_versions_keys_inserted on article_versions`.execute(db);
  await sql`drop trigger if exists article_versions_keys_deleted on article_versions`.execute(db);
  await sql`drop function if exists article_versions_keys_inserted()`.execute(db);
  await sql`drop function if exists article_versions_keys_deleted()`.execute(db);
  await db.schema.dropTable('article_lsh_keys').execute();
  await db.schema.alterTable('article_versions').dropColumn('lsh_keys').execute();
}
