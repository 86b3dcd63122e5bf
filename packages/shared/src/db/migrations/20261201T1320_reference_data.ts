import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * Tables for the reference data published as curated.regions and curated.indicators. Their rows
 * come from the data files (services/parser/data/metrics/*.yaml), loaded after every migration run
 * by syncReferenceData (packages/shared/src/db/reference-data.ts): a migration must not read files
 * that change with the code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ref_regions (
      code text primary key,
      name text not null unique,
      level text not null,
      parent_code text references ref_regions (code) deferrable initially deferred,
      name_en text not null,
      name_traditional text not null,
      pinyin text not null,
      aliases text[] not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table ref_indicators (
      code text primary key,
      unit text not null,
      name_zh text not null,
      name_en text not null,
      definition text not null,
      synonyms_zh text[] not null,
      synonyms_en text[] not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists ref_indicators`.execute(db);
  await sql`drop table if exists ref_regions`.execute(db);
}
