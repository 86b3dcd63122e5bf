import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeed, renderSeedAsHtml, TEMPLATE_KINDS } from '../fixtures/templates';
import { parseDocument } from '../index';
import { assertExpected } from './expect-metrics';
import { EXPECTED } from './seed-fixtures';

/** The seeds through the whole parser: the .txt files as scraped, and their HTML renderings. */

const dir = new URL('../../../../seeds/documents/', import.meta.url);
const FILES: Record<string, string> = {
  '000': '000_470bb5686944492e.txt',
  '001': '001_3f8d7578f9eff8c9.txt',
  '002': '002_c648c510082db0c0.txt',
  '003': '003_c3625e4dd3ccaf1d.txt',
  '004': '004_809b2510820eaeed.txt',
};

describe.each(Object.keys(FILES))('seed %s through parseDocument', (id) => {
  const path = new URL(FILES[id]!, dir);

  it('the .txt page gives every README metric', () => {
    const r = parseDocument({ bytes: readFileSync(path), mode: 'text' });
    for (const e of EXPECTED[id]!) assertExpected(r.metrics, e);
    for (const m of r.metrics)
      for (const ev of m.evidence) expect(r.text.slice(ev.start, ev.end)).toBe(ev.text);
  });

  it.each(TEMPLATE_KINDS)('the %s HTML rendering gives the same figures', (kind) => {
    const page = renderSeedAsHtml(loadSeed(path.pathname), kind);
    const r = parseDocument({ bytes: page.bytes, headers: { 'content-type': page.contentType } });
    // An English rendering of a bilingual page keeps one language, so lang is not compared.
    for (const e of EXPECTED[id]!) assertExpected(r.metrics, { ...e, lang: undefined });
    const actual = r.metrics.filter((m) => m.qualifier !== 'target');
    expect(
      actual.some(
        (m) => m.period === '2026' || m.indicator === 'fixed_asset_investment' || m.changePct === 7.5,
      ),
    ).toBe(false);
  });
});
