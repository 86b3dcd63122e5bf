import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { unitSchema } from '../article';

/**
 * The reference data published as curated.regions and curated.indicators, read from the parser's
 * data files (the gazetteer and the indicator dictionary are one source for both) and upserted
 * into ref_regions and ref_indicators. Run after every migration (migrateToLatest): idempotent, it
 * writes only rows that differ and removes rows the files no longer have.
 */
export const REFERENCE_DATA_DIR = new URL('../../../../services/parser/data/metrics/', import.meta.url);

const regionFileSchema = z.object({
  regions: z
    .array(
      z.object({
        name: z.string().min(2),
        code: z.string().regex(/^\d{6}$/, 'a six-digit administrative division code'),
        level: z.enum(['province', 'city', 'district', 'county', 'county_city']),
        parent: z.string().nullable(),
        traditional: z.string().min(2),
        english: z.string().min(2),
        pinyin: z.string().min(2),
        aliases: z.array(z.string().min(2)).default([]),
      }),
    )
    .min(1),
});

const indicatorFileSchema = z.object({
  indicators: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z][a-z0-9_]*$/),
        unit: unitSchema,
        english: z.string().min(2),
        definition: z.string().min(10),
        zh: z.array(z.string().min(2)).min(1),
        en: z.array(z.string().min(3)).default([]),
      }),
    )
    .min(1),
});

export interface RegionRow {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
  name_en: string;
  name_traditional: string;
  pinyin: string;
  aliases: string[];
}

export interface IndicatorRow {
  code: string;
  unit: string;
  name_zh: string;
  name_en: string;
  definition: string;
  synonyms_zh: string[];
  synonyms_en: string[];
}

export interface ReferenceData {
  regions: RegionRow[];
  indicators: IndicatorRow[];
}

function readYaml<T>(dir: URL, file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(parseYaml(readFileSync(new URL(file, dir), 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Reads and checks both files: unique codes and names, parents that exist, and a code that sits
 * under its parent's (330603 under 330600, 330600 under 330000).
 */
export function readReferenceData(dir: URL = REFERENCE_DATA_DIR): ReferenceData {
  const reg = readYaml(dir, 'regions.yaml', regionFileSchema);
  const ind = readYaml(dir, 'indicators.yaml', indicatorFileSchema);
  const byName = new Map<string, (typeof reg.regions)[number]>();
  const codes = new Set<string>();
  for (const r of reg.regions) {
    if (byName.has(r.name)) throw new Error(`regions.yaml: region ${r.name} appears twice`);
    if (codes.has(r.code)) throw new Error(`regions.yaml: code ${r.code} appears twice`);
    byName.set(r.name, r);
    codes.add(r.code);
  }
  const regions = reg.regions.map((r): RegionRow => {
    const parent = r.parent === null ? null : byName.get(r.parent);
    if (parent === undefined) throw new Error(`regions.yaml: ${r.name} has unknown parent ${r.parent}`);
    if (parent && !r.code.startsWith(parent.code.replace(/(00)+$/, ''))) {
      throw new Error(
        `regions.yaml: code ${r.code} of ${r.name} is not under ${parent.code} (${parent.name})`,
      );
    }
    return {
      code: r.code,
      name: r.name,
      level: r.level,
      parent_code: parent?.code ?? null,
      name_en: r.english,
      name_traditional: r.traditional,
      pinyin: r.pinyin,
      aliases: r.aliases,
    };
  });
  const indicators = ind.indicators.map((i): IndicatorRow => ({
    code: i.code,
    unit: i.unit,
    name_zh: i.zh[0]!,
    name_en: i.english,
    definition: i.definition,
    synonyms_zh: i.zh,
    synonyms_en: i.en,
  }));
  const seen = new Set<string>();
  for (const i of indicators) {
    if (seen.has(i.code)) throw new Error(`indicators.yaml: code ${i.code} appears twice`);
    seen.add(i.code);
  }
  return { regions, indicators };
}

export interface ReferenceSyncResult {
  regions: number;
  indicators: number;
  /** Rows inserted, updated or deleted: 0 when the database already held the files' content. */
  changed: number;
}

/** Makes ref_regions and ref_indicators equal the data files, in one transaction. */
export async function syncReferenceData<DB>(
  db: Kysely<DB>,
  data: ReferenceData = readReferenceData(),
): Promise<ReferenceSyncResult> {
  return db.transaction().execute(async (tx) => {
    const regions = JSON.stringify(data.regions);
    const indicators = JSON.stringify(data.indicators);
    const cols = {
      regions: sql.raw('code, name, level, parent_code, name_en, name_traditional, pinyin, aliases'),
      indicators: sql.raw('code, unit, name_zh, name_en, definition, synonyms_zh, synonyms_en'),
    };
    const r1 = await sql`
      insert into ref_regions as t (${cols.regions})
      select ${cols.regions} from jsonb_populate_recordset(null::ref_regions, ${regions}::jsonb)
      on conflict (code) do update
         set name = excluded.name, level = excluded.level, parent_code = excluded.parent_code,
             name_en = excluded.name_en, name_traditional = excluded.name_traditional,
             pinyin = excluded.pinyin, aliases = excluded.aliases, updated_at = now()
       where (t.name, t.level, t.parent_code, t.name_en, t.name_traditional, t.pinyin, t.aliases)
             is distinct from
             (excluded.name, excluded.level, excluded.parent_code, excluded.name_en,
              excluded.name_traditional, excluded.pinyin, excluded.aliases)`.execute(tx);
    const r2 = await sql`
      delete from ref_regions
       where code not in (select code from jsonb_populate_recordset(null::ref_regions, ${regions}::jsonb))`.execute(
      tx,
    );
    const r3 = await sql`
      insert into ref_indicators as t (${cols.indicators})
      select ${cols.indicators} from jsonb_populate_recordset(null::ref_indicators, ${indicators}::jsonb)
      on conflict (code) do update
         set unit = excluded.unit, name_zh = excluded.name_zh, name_en = excluded.name_en,
             definition = excluded.definition, synonyms_zh = excluded.synonyms_zh,
             synonyms_en = excluded.synonyms_en, updated_at = now()
       where (t.unit, t.name_zh, t.name_en, t.definition, t.synonyms_zh, t.synonyms_en)
             is distinct from
             (excluded.unit, excluded.name_zh, excluded.name_en, excluded.definition, excluded.synonyms_zh,
              excluded.synonyms_en)`.execute(tx);
    const r4 = await sql`
      delete from ref_indicators
       where code not in (select code from jsonb_populate_recordset(null::ref_indicators, ${indicators}::jsonb))`.execute(
      tx,
    );
    const changed = [r1, r2, r3, r4].reduce((n, r) => n + Number(r.numAffectedRows ?? 0), 0);
    return { regions: data.regions.length, indicators: data.indicators.length, changed };
  });
}
