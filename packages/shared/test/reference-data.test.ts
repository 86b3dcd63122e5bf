import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump as stringify, load as parseYaml } from 'js-yaml';
import { migrateToLatest } from '../src/db/migrate';
import { readReferenceData, REFERENCE_DATA_DIR, syncReferenceData } from '../src/db/reference-data';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let tdb: TestDatabase;
let dir: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'govwire-ref-'));
});
afterAll(async () => {
  await tdb?.drop();
  rmSync(dir, { recursive: true, force: true });
});

type Yaml = Record<string, Record<string, unknown>[]>;
const original = (file: string) => parseYaml(readFileSync(new URL(file, REFERENCE_DATA_DIR), 'utf8')) as Yaml;

/** Copies of the data files, edited, in a directory of their own. */
function edited(edit: (regions: Yaml, indicators: Yaml) => void): URL {
  const regions = original('regions.yaml');
  const indicators = original('indicators.yaml');
  edit(regions, indicators);
  writeFileSync(path.join(dir, 'regions.yaml'), stringify(regions));
  writeFileSync(path.join(dir, 'indicators.yaml'), stringify(indicators));
  return pathToFileURL(dir + path.sep);
}

async function region(name: string) {
  const { rows } = await sql<{ code: string; name_en: string; updated_at: Date }>`
    select code, name_en, updated_at from ref_regions where name = ${name}`.execute(tdb.db);
  return rows[0];
}

describe('reference data', () => {
  it('is loaded by every migration run, and a second run changes nothing', async () => {
    const before = await region('柯桥区');
    expect(before?.code).toBe('330603');
    const again = await migrateToLatest(tdb.db);
    expect(again.reference).toEqual({ regions: 102, indicators: 33, changed: 0 });
    expect(await region('柯桥区')).toEqual(before);
  });

  it('follows the files: an edited name is updated, a removed region deleted, nothing else touched', async () => {
    const data = readReferenceData(
      edited((regions) => {
        const list = regions.regions!;
        const keqiao = list.find((r) => r.name === '柯桥区')!;
        keqiao.english = 'Keqiao District of Shaoxing';
        regions.regions = list.filter((r) => r.name !== '龙港市');
      }),
    );
    const untouched = await region('南湖区');
    expect(await syncReferenceData(tdb.db, data)).toEqual({ regions: 101, indicators: 33, changed: 2 });
    expect((await region('柯桥区'))?.name_en).toBe('Keqiao District of Shaoxing');
    expect(await region('龙港市')).toBeUndefined();
    expect(await region('南湖区')).toEqual(untouched);
    // And back.
    expect((await syncReferenceData(tdb.db)).changed).toBe(2);
    expect((await region('龙港市'))?.code).toBe('330383');
  });

  it('refuses files that are wrong, with the reason', () => {
    expect(() =>
      readReferenceData(
        edited((regions) => {
          regions.regions!.find((r) => r.name === '柯桥区')!.code = '330799';
        }),
      ),
    ).toThrow(/code 330799 of 柯桥区 is not under 330600 \(绍兴市\)/);
    expect(() =>
      readReferenceData(
        edited((regions) => {
          regions.regions!.find((r) => r.name === '柯桥区')!.code = '330602';
        }),
      ),
    ).toThrow(/code 330602 appears twice/);
    expect(() =>
      readReferenceData(
        edited((_, indicators) => {
          delete indicators.indicators![0]!.definition;
        }),
      ),
    ).toThrow(/indicators\.yaml: .*definition/s);
    expect(() =>
      readReferenceData(
        edited((regions) => {
          regions.regions!.find((r) => r.name === '柯桥区')!.code = '33063';
        }),
      ),
    ).toThrow(/six-digit/);
  });
});
