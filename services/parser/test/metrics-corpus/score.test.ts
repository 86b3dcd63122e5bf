/** The scorer on tiny hand-made passages: what counts as found, wrong, forbidden, duplicate. */
import { describe, expect, it } from 'vitest';
import {
  formatScore,
  isValidPeriod,
  passageHtml,
  passageSchema,
  scoreCorpus,
  scorePassage,
  type EmittedFact,
  type Passage,
} from './score';

const TEXT = [
  '2023年，南湖区实现地区生产总值729.91亿元，两年平均增长7%。',
  '农村居民人均可支配收入42830元，增长10.2%，城乡居民收入比1.49，比上年缩小0.02。',
  '空气质量优良天数比例为90.1%，比上年回落0.5个百分点。今年预期地区生产总值增长6%左右。',
].join('\n\n');

function passage(extra: Record<string, unknown> = {}): Passage {
  const data = passageSchema.parse({
    kind: 'news',
    title: '南湖区经济运行',
    publishedAt: '2024-01-20',
    text: TEXT,
    expected: [
      {
        region: '南湖区',
        indicator: 'gdp',
        period: '2023',
        value: 72991000000,
        unit: 'CNY',
        changePct: 7,
        changeKind: 'multi_year_average',
        from: '地区生产总值729.91亿元，两年平均增长7%',
      },
      {
        region: '南湖区',
        indicator: 'rural_disposable_income_per_capita',
        period: '2023',
        value: 42830,
        unit: 'CNY',
        changePct: 10.2,
        from: '农村居民人均可支配收入42830元，增长10.2%',
      },
      {
        region: '南湖区',
        indicator: 'urban_rural_income_ratio',
        period: '2023',
        value: 1.49,
        unit: 'ratio',
        changeAbs: -0.02,
        mayOmit: ['changeAbs'],
        from: '城乡居民收入比1.49，比上年缩小0.02',
      },
      {
        region: '南湖区',
        indicator: 'air_quality_good_days_ratio',
        period: '2023',
        value: 90.1,
        unit: '%',
        changePp: -0.5,
        from: '空气质量优良天数比例为90.1%，比上年回落0.5个百分点',
      },
      {
        region: '南湖区',
        indicator: 'gdp',
        period: '2024',
        value: null,
        unit: 'CNY',
        changePct: 6,
        qualifier: 'about',
        target: true,
        from: '今年预期地区生产总值增长6%左右',
      },
    ],
    forbidden: [{ indicator: 'urban_rural_income_ratio', changePct: 10.2, reason: 'the income growth' }],
    ...extra,
  });
  return { ...data, id: 'tiny' };
}

/** The four actual facts as a careful extractor emits them (today's Metric shape for the points). */
function perfect(): EmittedFact[] {
  return [
    {
      region: '南湖区',
      indicator: 'gdp',
      period: '2023',
      value: 729.91 * 1e8,
      unit: 'CNY',
      changePct: 7,
      changeKind: 'multi_year_average',
    },
    {
      region: '南湖区',
      indicator: 'rural_disposable_income_per_capita',
      period: '2023',
      value: 42830,
      unit: 'CNY',
      changePct: 10.2,
    },
    {
      region: '南湖区',
      indicator: 'urban_rural_income_ratio',
      period: '2023',
      value: 1.49,
      unit: 'ratio',
      changeAbs: -0.02,
    },
    {
      region: '南湖区',
      indicator: 'air_quality_good_days_ratio',
      period: '2023',
      value: 90.1,
      unit: '%',
      changePct: -0.5,
      changeKind: 'percentage_points',
    },
  ];
}

const replace = (facts: EmittedFact[], i: number, patch: Partial<EmittedFact>): EmittedFact[] =>
  facts.map((f, j) => (j === i ? { ...f, ...patch } : f));

describe('scorePassage', () => {
  it('finds every fact emitted as the text states it (float noise within tolerance)', () => {
    const s = scorePassage(passage(), perfect());
    expect([s.found, s.expected, s.correct, s.emitted]).toEqual([4, 4, 4, 4]);
    expect([s.recall, s.precision]).toEqual([1, 1]);
    expect(s.wrong).toEqual([]);
  });

  it('counts nothing emitted as zero recall and lists the misses', () => {
    const s = scorePassage(passage(), []);
    expect([s.found, s.recall, s.precision]).toEqual([0, 0, 1]);
    expect(s.missed.map((m) => m.indicator)).toEqual([
      'gdp',
      'rural_disposable_income_per_capita',
      'urban_rural_income_ratio',
      'air_quality_good_days_ratio',
    ]);
  });

  it('reports a different value as wrong, not found', () => {
    const s = scorePassage(passage(), replace(perfect(), 1, { value: 42831 }));
    expect(s.found).toBe(3);
    expect(s.wrong).toHaveLength(1);
    expect(s.wrong[0]!.differences).toEqual(['value: expected 42830, got 42831']);
    expect(s.precision).toBe(0.75);
  });

  it('reports a change the text gives to another figure as wrong, and as forbidden', () => {
    const s = scorePassage(passage(), replace(perfect(), 2, { changePct: 10.2, changeAbs: null }));
    expect(s.wrong[0]!.differences).toEqual(['changePct: expected none, got 10.2']);
    expect(s.forbiddenHits.map((h) => h.reason)).toEqual(['the income growth']);
  });

  it('lets a mayOmit field be left out, but not be wrong', () => {
    expect(scorePassage(passage(), replace(perfect(), 2, { changeAbs: null })).found).toBe(4);
    const s = scorePassage(passage(), replace(perfect(), 2, { changeAbs: 0.02 }));
    expect(s.wrong[0]!.differences).toEqual(['changeAbs: expected -0.02, got 0.02']);
  });

  it('reads points in changePp or as changeKind percentage_points, never as a percent change', () => {
    const asPp = replace(perfect(), 3, { changePct: null, changeKind: null, changePp: -0.5 });
    expect(scorePassage(passage(), asPp).found).toBe(4);
    const asPercent = replace(perfect(), 3, { changeKind: 'annual' });
    expect(scorePassage(passage(), asPercent).wrong[0]!.differences).toEqual([
      'changePct: expected none, got -0.5',
      'changePp: expected -0.5, got none',
    ]);
  });

  it('tells a multi-year average from an annual change', () => {
    const s = scorePassage(passage(), replace(perfect(), 0, { changeKind: null }));
    expect(s.wrong[0]!.differences).toEqual(['changeKind: expected multi_year_average, got annual']);
  });

  it('counts a goal stored as an actual value, and a goal kept as a goal', () => {
    const goal: EmittedFact = {
      region: '南湖区',
      indicator: 'gdp',
      period: '2024',
      value: null,
      unit: 'CNY',
      changePct: 6,
    };
    const asActual = scorePassage(passage(), [...perfect(), goal]);
    expect(asActual.targetsAsActuals).toHaveLength(1);
    expect(asActual.precision).toBe(0.8);
    const asTarget = scorePassage(passage(), [...perfect(), { ...goal, qualifier: 'target' }]);
    expect([asTarget.targetsFound, asTarget.precision, asTarget.wrong.length]).toEqual([1, 1, 0]);
    const flagged = scorePassage(passage(), [...perfect(), { ...goal, isTarget: true, qualifier: 'about' }]);
    expect(flagged.targetsFound).toBe(1);
    const wrongQualifier = scorePassage(passage(), [
      ...perfect(),
      { ...goal, isTarget: true, qualifier: 'above' },
    ]);
    expect(wrongQualifier.wrong[0]!.differences).toEqual(['qualifier: expected about, got above']);
  });

  it('counts one fact emitted twice (both languages of a bilingual page) as a duplicate', () => {
    const s = scorePassage(passage(), [...perfect(), perfect()[1]!]);
    expect([s.found, s.correct, s.emitted, s.duplicates.length]).toEqual([4, 4, 5, 1]);
  });

  it('counts a fact nobody expected against precision, and an acceptable one not', () => {
    const extra: EmittedFact = { region: '南湖区', indicator: 'gdp', period: '2022', value: 1, unit: 'CNY' };
    expect(scorePassage(passage(), [...perfect(), extra]).unexpected).toEqual([extra]);
    const acceptable = passage({
      alsoAcceptable: [
        {
          region: '南湖区',
          indicator: 'urban_rural_income_ratio',
          period: '2022',
          value: 1.51,
          unit: 'ratio',
          from: '城乡居民收入比1.49',
        },
      ],
    });
    const ratio2022: EmittedFact = {
      region: '南湖区',
      indicator: 'urban_rural_income_ratio',
      period: '2022',
      value: 1.51,
      unit: 'ratio',
    };
    const s = scorePassage(acceptable, [...perfect(), ratio2022]);
    expect([s.found, s.expected, s.precision]).toEqual([4, 4, 1]);
  });

  it('matches on region, indicator and period: another period is not the same fact', () => {
    const s = scorePassage(passage(), replace(perfect(), 1, { period: '2024' }));
    expect([s.found, s.unexpected.length]).toEqual([3, 1]);
  });

  it('compares rank, scope, total and qualifier', () => {
    const ranked = passage({
      expected: [
        {
          region: '安吉县',
          indicator: 'rural_disposable_income_per_capita',
          period: '2023',
          value: 45000,
          unit: 'CNY',
          qualifier: 'above',
          rank: 1,
          rankScope: 'province',
          rankTotal: 90,
          from: '城乡居民收入比1.49',
        },
      ],
      forbidden: [],
    });
    const right: EmittedFact = {
      region: '安吉县',
      indicator: 'rural_disposable_income_per_capita',
      period: '2023',
      value: 45000,
      unit: 'CNY',
      qualifier: 'above',
      rank: 1,
      rankScope: 'province',
      rankTotal: 90,
    };
    expect(scorePassage(ranked, [right]).found).toBe(1);
    const s = scorePassage(ranked, [{ ...right, rankTotal: null, qualifier: null }]);
    expect(s.wrong[0]!.differences).toEqual([
      'rankTotal: expected 90, got none',
      'qualifier: expected above, got none',
    ]);
  });
});

describe('passage schema', () => {
  it.each([
    ['a month out of range', { period: '2023-13' }],
    ['a range across years', { period: '2023-11/2024-02' }],
    ['a range ending before it starts', { period: '2023-09/2023-01' }],
    ['a fact with neither value nor change', { value: null }],
    ['a rank without its scope', { rank: 3 }],
    ['top_n without a rank', { qualifier: 'top_n' }],
    ['mayOmit of a field not given', { mayOmit: ['changePp'] }],
    ['an unknown field', { changePercent: 5 }],
  ])('rejects %s', (_, patch) => {
    const fact = {
      region: '南湖区',
      indicator: 'gdp',
      period: '2023',
      value: 1,
      unit: 'CNY',
      from: '南湖区',
      ...patch,
    };
    expect(passageSchema.safeParse({ kind: 'news', title: 't', text: 'x', expected: [fact] }).success).toBe(
      false,
    );
  });

  it('rejects two facts with one key, and a passage with both text and html', () => {
    const fact = {
      region: '南湖区',
      indicator: 'gdp',
      period: '2023',
      value: 1,
      unit: 'CNY',
      from: '南湖区',
    };
    expect(
      passageSchema.safeParse({ kind: 'news', title: 't', text: 'x', expected: [fact, fact] }).success,
    ).toBe(false);
    expect(passageSchema.safeParse({ kind: 'news', title: 't', text: 'x', html: '<p>x</p>' }).success).toBe(
      false,
    );
    expect(passageSchema.safeParse({ kind: 'news', title: 't', text: 'x', expected: [fact] }).success).toBe(
      true,
    );
  });

  it('accepts the three period forms only', () => {
    expect(['2023', '2023-09', '2023-01/2023-09'].map(isValidPeriod)).toEqual([true, true, true]);
    expect(['202', '2023-9', '2023/2023-09', '2023-01/2023-01'].map(isValidPeriod)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('scoreCorpus', () => {
  it('sums passages and kinds, treating a passage with no entry as nothing emitted', () => {
    const a = passage();
    const b = { ...passage(), id: 'other', kind: 'table' as const };
    const total = scoreCorpus([a, b], { tiny: perfect() });
    expect([total.found, total.expected, total.recall, total.precision]).toEqual([4, 8, 0.5, 1]);
    expect(total.byKind.news).toMatchObject({ passages: 1, found: 4, expected: 4 });
    expect(total.byKind.table).toMatchObject({ passages: 1, found: 0, expected: 4 });
    expect(formatScore(total)).toContain('recall 4/8 (50.0%)');
  });
});

describe('passageHtml', () => {
  it('renders a text passage as a page with its title, date and escaped paragraphs', () => {
    const html = passageHtml({ ...passage(), title: 'A & B' });
    expect(html).toContain('<title>A &amp; B</title>');
    expect(html).toContain('<meta name="PubDate" content="2024-01-20 09:00">');
    expect(html.match(/<p>/g)).toHaveLength(3);
  });
});
