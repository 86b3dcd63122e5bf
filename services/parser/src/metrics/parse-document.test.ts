import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ctx } from '../../test/support/context';
import { assertExpected } from '../../test/support/expect-metrics';
import { EXPECTED } from '../../test/support/seed-fixtures';
import { parseDocument } from '../parse';

/** The seeds through the whole parser: the .txt files as scraped, and their HTML renderings (test/corpus). */
const KINDS = ['district-portal', 'wechat-mirror', 'news-portal', 'wordpress-copy', 'english-district'];
const page = (file: string) => readFileSync(new URL(`../../test/corpus/pages/${file}`, import.meta.url));

describe.each(Object.keys(EXPECTED))('seed %s through parseDocument', (id) => {
  it('the .txt page gives every README metric', () => {
    const r = parseDocument(ctx, { bytes: page(`seed-${id}.txt`), mode: 'text' });
    for (const e of EXPECTED[id]!) assertExpected(r.metrics, e);
    for (const m of r.metrics)
      for (const ev of m.evidence) expect(r.text.slice(ev.start, ev.end)).toBe(ev.text);
  });

  it.each(KINDS)('the %s HTML rendering gives the same figures', (kind) => {
    const r = parseDocument(ctx, {
      bytes: page(`seed-${id}.${kind}.html`),
      headers: { 'content-type': 'text/html' },
    });
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
