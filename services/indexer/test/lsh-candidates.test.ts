import { createTestDatabase, type TestDatabase } from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as lshKeysMigration from '../../../packages/shared/src/db/migrations/20261203T1000_lsh_keys';
import { lshKey, type BandKey } from '../src/dedup';
import { findCandidates, findCandidatesForItems, type Candidate } from '../src/repositories/dedup.repository';
import { truncateIndex } from './helpers';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

const zh = (band: number, bucket: number): BandKey => ({ segment: 'zh', band, bucket });
const en = (band: number, bucket: number): BandKey => ({ segment: 'en', band, bucket });

/** One stored version with the given id, article and bands, nothing else of interest. */
async function storeVersion(
  versionId: number,
  articleId: number,
  bands: BandKey[],
  assertionKeys: number[] | null = null,
): Promise<void> {
  await sql`
    insert into articles (id, content_hash, title, language, body, body_simplified)
    values (${articleId}, ${`a${articleId}`}, 't', 'zh-Hans', 'b', 'b') on conflict (id) do nothing`.execute(
    tdb.db,
  );
  await sql`
    insert into article_versions (id, article_id, content_hash, match_kind, url, title, language, text,
                                  text_simplified, paragraphs, metrics, warnings, is_bilingual, clean_chars,
                                  lsh_keys, assertion_keys, first_seen_at, last_seen_at)
    values (${versionId}, ${articleId}, ${`v${versionId}`}, 'new', ${`https://x.example/${versionId}`}, 't',
            'zh-Hans', 'b', 'b', '[]', '[]', '[]', false, 1, ${bands.map(lshKey)}::bigint[], ${assertionKeys}::int[], now(), now())`.execute(
    tdb.db,
  );
}

const c = (versionId: number, articleId: number, hits: number): Candidate => ({ versionId, articleId, hits });

// The query of item 0: Chinese bands 0..7, bucket 100 + band.
const item0 = [0, 1, 2, 3, 4, 5, 6, 7].map((b) => zh(b, 100 + b));
// Item 1: negative buckets (signed int4) and an English band.
const item1 = [zh(6, -5), zh(7, -2_147_483_648), en(0, 100)];

describe('LSH candidates on the GIN-indexed keys', () => {
  beforeAll(async () => {
    await truncateIndex(tdb.db);
    // Article 1: four versions sharing 4, 3, 1 and 2 of item 0's bands (plus bands of their own).
    await storeVersion(20, 1, [zh(0, 100), zh(1, 101), zh(2, 102), zh(3, 103), zh(9, 7)]);
    await storeVersion(21, 1, [zh(0, 100), zh(1, 101), zh(2, 102), zh(4, 999)]);
    await storeVersion(22, 1, [zh(0, 100), zh(5, 1)]);
    await storeVersion(24, 1, [zh(0, 100), zh(1, 101)]);
    // Article 2: two of item 0's bands, ties with version 24 and comes first by its lower id.
    await storeVersion(23, 2, [zh(4, 104), zh(5, 105), en(4, 104)]);
    // Article 5: one band of item 0.
    await storeVersion(19, 5, [zh(7, 107)]);
    // Article 3: item 0's buckets in the wrong band or the wrong segment: never a candidate of it;
    // its English band 0 bucket 100 is item 1's.
    await storeVersion(30, 3, [en(0, 100), zh(1, 100), zh(0, 101)]);
    // Article 4: item 1's two negative buckets.
    await storeVersion(31, 4, [zh(6, -5), zh(7, -2_147_483_648)]);
    // Article 6: the same buckets' positive or unsigned look-alikes: never a candidate of item 1.
    await storeVersion(32, 6, [zh(6, 5), zh(7, 0), zh(6, 2_147_483_643)]);
    await sql`analyze article_versions`.execute(tdb.db);
  });

  it('counts shared keys, orders by hits then version, caps per article and per item', async () => {
    const found = await findCandidatesForItems(
      tdb.db,
      [{ bands: item0 }, { bands: item1 }, { bands: [zh(0, 555)] }, { bands: [] }],
      20,
    );
    expect(found.get(0)).toEqual([c(20, 1, 4), c(21, 1, 3), c(23, 2, 2), c(24, 1, 2), c(19, 5, 1)]);
    expect(found.get(1)).toEqual([c(31, 4, 2), c(30, 3, 1)]);
    expect(found.get(2)).toEqual([]);
    expect(found.get(3)).toEqual([]);
  });

  it('keeps the best `limit` per item', async () => {
    const found = await findCandidatesForItems(tdb.db, [{ bands: item0 }, { bands: item1 }], 3);
    expect(found.get(0)).toEqual([c(20, 1, 4), c(21, 1, 3), c(23, 2, 2)]);
    expect(found.get(1)).toEqual([c(31, 4, 2), c(30, 3, 1)]);
    expect(await findCandidates(tdb.db, { bands: item0 }, 1)).toEqual([c(20, 1, 4)]);
  });

  it('answers one item alone as it answers it within a batch', async () => {
    expect(await findCandidates(tdb.db, { bands: item1 }, 20)).toEqual([c(31, 4, 2), c(30, 3, 1)]);
    expect(await findCandidates(tdb.db, { bands: [] }, 20)).toEqual([]);
  });
});

describe('LSH candidates past the limit', () => {
  it('past the limit, keeps first the candidates whose assertions contain the text’s or are in them', async () => {
    await truncateIndex(tdb.db);
    const bands = [0, 1, 2, 3, 4, 5, 6, 7].map((b) => zh(b, 500 + b));
    // Two template siblings share every bucket, each asserting something of its own (its county,
    // 9 or 8) and lacking one of the text's; the text's original shares fewer buckets and asserts
    // all the text does and more; a version stored without keys is unknown.
    await storeVersion(50, 10, bands, [1, 2, 9]);
    await storeVersion(51, 11, bands, [1, 3, 8]);
    await storeVersion(52, 12, bands.slice(0, 6), [1, 2, 3, 4]);
    await storeVersion(53, 13, bands.slice(0, 7), null);
    const text = { bands, assertionKeys: [1, 2, 3] };
    expect(await findCandidates(tdb.db, text, 2)).toEqual([c(53, 13, 7), c(52, 12, 6)]);
    expect(await findCandidates(tdb.db, text, 3)).toEqual([c(50, 10, 8), c(53, 13, 7), c(52, 12, 6)]);
    // Copies first: the stored copy (a paragraph dropped) asserts less than the incoming original.
    await storeVersion(54, 14, bands.slice(0, 5), [1, 2]);
    expect(await findCandidates(tdb.db, text, 3)).toEqual([c(53, 13, 7), c(52, 12, 6), c(54, 14, 5)]);
    // Within the limit every candidate is kept, most shared buckets first.
    expect(await findCandidates(tdb.db, text, 5)).toEqual([
      c(50, 10, 8),
      c(51, 11, 8),
      c(53, 13, 7),
      c(52, 12, 6),
      c(54, 14, 5),
    ]);
    // A text asserting nothing is contained in every candidate: buckets alone rank them.
    expect(await findCandidates(tdb.db, { bands }, 2)).toEqual([c(50, 10, 8), c(51, 11, 8)]);
  });
});

describe('migration 20261203T1000_lsh_keys', () => {
  it('restores the band rows from the keys and packs them back unchanged', async () => {
    await truncateIndex(tdb.db);
    await storeVersion(40, 7, [zh(0, -1), zh(31, 2_147_483_647), en(3, -2_147_483_648), en(0, 0)]);
    const db = tdb.db;
    await lshKeysMigration.down(db);
    const { rows: bands } = await sql<{ segment: string; band: number; bucket: number; version_id: number }>`
      select segment, band, bucket, version_id::int, article_id::int from article_lsh_bands
       order by segment desc, band`.execute(db);
    expect(bands).toEqual([
      { segment: 'zh', band: 0, bucket: -1, version_id: 40, article_id: 7 },
      { segment: 'zh', band: 31, bucket: 2_147_483_647, version_id: 40, article_id: 7 },
      { segment: 'en', band: 0, bucket: 0, version_id: 40, article_id: 7 },
      { segment: 'en', band: 3, bucket: -2_147_483_648, version_id: 40, article_id: 7 },
    ]);
    await lshKeysMigration.up(db);
    const { rows } = await sql<{ keys: string[] }>`select lsh_keys as keys from article_versions`.execute(db);
    // By hand: zh = 1 << 40 = 1099511627776, en = 2 << 40 = 2199023255552, band << 32.
    expect(rows[0]!.keys.map(Number).sort((a, b) => a - b)).toEqual([
      1_099_511_627_776 + 4_294_967_295,
      1_099_511_627_776 + 31 * 4_294_967_296 + 2_147_483_647,
      2_199_023_255_552,
      2_199_023_255_552 + 3 * 4_294_967_296 + 2_147_483_648,
    ]);
  });
});
