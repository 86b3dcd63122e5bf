import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.
//
// The LSH bands of a version move from 32-64 rows of `article_lsh_bands` (a btree entry, a heap
// row and a foreign-key check each: the most expensive statement of a batch) into one array
// column of the version, indexed by GIN. A key packs the band's triple losslessly into a bigint:
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
  // fastupdate off: with it on, inserts append to a pending list that every look-up scans in full
  // until vacuum or the list's limit merges it, and the dedup look-up runs for every item of every
  // batch. Measured on `pnpm bench:index --modes batch --concurrency 1` (2000 articles, client
  // time): candidate query 17.7 s with fastupdate on (4 MB list), 1.4-1.6 s with a 64 kB list,
  // 0.72-0.77 s with fastupdate off; the version insert cost the same 1.3-1.5 s in all three.
  await sql`create index article_versions_lsh_keys on article_versions using gin (lsh_keys)
              with (fastupdate = off)`.execute(db);
  await db.schema.dropTable('article_lsh_bands').execute();
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
  await db.schema.dropIndex('article_versions_lsh_keys').execute();
  await db.schema.alterTable('article_versions').dropColumn('lsh_keys').execute();
}
