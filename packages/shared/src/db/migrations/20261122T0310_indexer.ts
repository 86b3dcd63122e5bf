import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/** Rows of `dedup_lock_slots`: enough that unrelated articles rarely wait on each other. */
const LOCK_SLOTS = 65_536;

export async function up(db: Kysely<any>): Promise<void> {
  // The article keeps the provenance of the version chosen as its body.
  await db.schema
    .alterTable('articles')
    .addColumn('best_version_id', 'bigint')
    .addColumn('version_count', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  // A URL may serve different articles over time (a page rewritten into another story), so the key
  // is (url, article_id) rather than the URL alone; each row still records where it came from.
  await sql`alter table article_urls drop constraint article_urls_pkey`.execute(db);
  await db.schema
    .alterTable('article_urls')
    .addPrimaryKeyConstraint('article_urls_pkey', ['url', 'article_id'])
    .execute();
  await db.schema
    .alterTable('article_urls')
    .addColumn('requested_url', 'text')
    .addColumn('last_page_id', 'bigint')
    .addColumn('last_crawl_id', 'text')
    .addColumn('last_content_hash', 'text')
    .execute();

  // Every distinct text seen for an article (exact duplicates are one version). The content hash is
  // the exact-duplicate key across all articles, not only across current bodies.
  await db.schema
    .createTable('article_versions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('article_id', 'bigint', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('content_hash', 'text', (c) => c.notNull().unique())
    // How this version joined its article: new (it created it), near (near-duplicate), exact.
    .addColumn('match_kind', 'text', (c) => c.notNull())
    .addColumn('matched_version_id', 'bigint')
    .addColumn('similarity', 'real')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('page_id', 'bigint', (c) => c.references('pages.id').onDelete('set null'))
    .addColumn('page_content_hash', 'text')
    .addColumn('crawl_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('published_at', 'date')
    .addColumn('source', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('text_simplified', 'text', (c) => c.notNull())
    .addColumn('paragraphs', 'jsonb', (c) => c.notNull())
    .addColumn('metrics', 'jsonb', (c) => c.notNull())
    .addColumn('warnings', 'jsonb', (c) => c.notNull())
    // Completeness, for choosing the article's body: bilingual first, then longer clean text.
    .addColumn('is_bilingual', 'boolean', (c) => c.notNull())
    .addColumn('clean_chars', 'integer', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('article_versions_article')
    .on('article_versions')
    .column('article_id')
    .execute();

  // LSH bands of each version's MinHash signature, per language segment. The primary key is the
  // lookup path: (segment, band, bucket) → versions, one index probe per band.
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

  // Serialization points for the dedup decision: an indexer locks the slots of its content hash
  // and of every LSH bucket it will probe, so two copies of one article indexed at the same moment
  // meet on a slot and the second one sees the first. Row locks (not advisory locks) because a
  // batch may hold thousands and row locks do not use the shared lock table.
  await db.schema
    .createTable('dedup_lock_slots')
    .addColumn('slot', 'integer', (c) => c.primaryKey())
    .execute();
  await sql`insert into dedup_lock_slots (slot) select generate_series(0, ${sql.lit(LOCK_SLOTS - 1)})`.execute(
    db,
  );

  // One row per article and fact. Targets are kept apart (is_target) so a goal never stands in for
  // an actual value.
  await db.schema
    .createTable('article_metrics')
    .addColumn('article_id', 'bigint', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('indicator', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('is_target', 'boolean', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('change_pct', 'double precision')
    .addColumn('change_kind', 'text')
    .addColumn('rank', 'integer')
    .addColumn('rank_scope', 'text')
    .addColumn('qualifier', 'text')
    .addColumn('evidence', 'jsonb', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('version_id', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('article_metrics_pk', [
      'article_id',
      'region',
      'indicator',
      'period',
      'is_target',
    ])
    .execute();
  await db.schema
    .createIndex('article_metrics_fact')
    .on('article_metrics')
    .columns(['region', 'indicator', 'period'])
    .execute();

  // The published contract: downstream apps read these views only (docs/data-contract.md).
  await sql`create schema if not exists curated`.execute(db);
  await sql`
    create view curated.articles as
    select a.id,
           a.title,
           a.published_at,
           a.source,
           a.language,
           a.body,
           coalesce((select array_agg(u.url order by u.first_seen_at, u.url)
                       from article_urls u where u.article_id = a.id), '{}'::text[]) as urls,
           coalesce((select array_agg(distinct u.source_id order by u.source_id)
                       from article_urls u where u.article_id = a.id and u.source_id is not null),
                    '{}'::text[]) as source_ids,
           a.first_seen_at,
           a.last_seen_at,
           a.updated_at
      from articles a`.execute(db);
  await sql`
    create view curated.metrics as
    select m.article_id,
           m.region,
           m.indicator,
           m.period,
           m.value,
           m.unit,
           m.change_pct,
           m.change_kind,
           m.rank,
           m.rank_scope,
           m.qualifier,
           m.evidence,
           m.lang as language
      from article_metrics m
     where not m.is_target`.execute(db);
  // The value most articles state (ties: the smaller value, so the answer is stable), how many
  // articles report the fact at all, how many state the chosen value, and whether any disagree.
  await sql`
    create view curated.indicator_values as
    with facts as (
      select region, indicator, period, unit, value, change_pct, article_id
        from article_metrics
       where not is_target
    ), counted as (
      select region, indicator, period, unit, value, count(*) as n,
             row_number() over (partition by region, indicator, period
                                order by (value is null), count(*) desc, value) as pick
        from facts
       group by region, indicator, period, unit, value
    )
    select f.region,
           f.indicator,
           f.period,
           c.value,
           c.unit,
           (select mode() within group (order by x.change_pct)
              from facts x
             where x.region = f.region and x.indicator = f.indicator and x.period = f.period
               and x.change_pct is not null) as change_pct,
           count(distinct f.article_id)::integer as article_count,
           c.n::integer as agreeing_count,
           (count(distinct f.value) > 1 or count(distinct f.unit) > 1
             or count(distinct f.change_pct) > 1) as disagree
      from facts f
      join counted c on c.region = f.region and c.indicator = f.indicator and c.period = f.period
                    and c.pick = 1
     group by f.region, f.indicator, f.period, c.value, c.unit, c.n`.execute(db);

  // Read-only role for downstream apps. Roles are cluster-wide and tests migrate many databases at
  // once, so creating it must tolerate both an existing role and a concurrent creator.
  await sql`
    do $$
    begin
      if not exists (select 1 from pg_roles where rolname = 'govwire_reader') then
        create role govwire_reader nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$`.execute(db);
  await sql`grant usage on schema curated to govwire_reader`.execute(db);
  await sql`grant select on all tables in schema curated to govwire_reader`.execute(db);
  await sql`alter default privileges in schema curated grant select on tables to govwire_reader`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The role is cluster-wide (other databases may use it): only this database's grants go.
  await sql`drop schema if exists curated cascade`.execute(db);
  for (const t of ['article_metrics', 'dedup_lock_slots', 'article_lsh_bands', 'article_versions']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await sql`alter table article_urls drop constraint article_urls_pkey`.execute(db);
  await sql`alter table article_urls add constraint article_urls_pkey primary key (url)`.execute(db);
  await db.schema
    .alterTable('article_urls')
    .dropColumn('requested_url')
    .dropColumn('last_page_id')
    .dropColumn('last_crawl_id')
    .dropColumn('last_content_hash')
    .execute();
  await db.schema.alterTable('articles').dropColumn('best_version_id').dropColumn('version_count').execute();
}
