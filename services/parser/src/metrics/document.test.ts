import { describe, expect, it } from 'vitest';
import { extractMetrics } from './index';
import { findPeriodsEn, findPeriodsZh } from './periods';
import { parseEnglishNumberWords } from './numbers';
import { buildInput } from '../../test/support/seed-fixtures';
import { ctx } from '../../test/support/context';

/**
 * Issue 16: the document model (region and period flow from title and lead), periods below a
 * year, falls and points, ratios, English qualifiers, ranks and numbers in words, and nothing
 * invented. Every expected value is read off the sentence by hand.
 */
function run(
  paragraphs: string[],
  opts: { title?: string; publishedAt?: string | null; source?: string | null; warnings?: string[] } = {},
) {
  const input = buildInput(paragraphs, {
    title: opts.title ?? '柯桥区经济运行情况',
    publishedAt: opts.publishedAt === undefined ? '2024-10-25' : opts.publishedAt,
    source: opts.source ?? null,
  });
  return extractMetrics(ctx.metrics, { ...input, warnings: opts.warnings });
}

const periods = (
  s: string,
  publishedAt: string | null,
  reportYear: number | null = null,
  month: number | null = null,
) => findPeriodsZh(s, publishedAt, reportYear, month).map((p) => p.period);

describe('periods below a year', () => {
  it('reads the year-less forms against the report year', () => {
    expect(periods('1-9月,', null, 2024)).toEqual(['2024-01/2024-09']);
    expect(periods('1—2月,', null, 2024)).toEqual(['2024-01/2024-02']);
    expect(periods('前三季度,', null, 2024)).toEqual(['2024-01/2024-09']);
    expect(periods('上半年,', null, 2024)).toEqual(['2024-01/2024-06']);
    expect(periods('一季度,', null, 2024)).toEqual(['2024-01/2024-03']);
    expect(periods('三季度当季,', null, 2024)).toEqual(['2024-07/2024-09']);
    expect(periods('12月份,', null, 2023)).toEqual(['2023-12']);
    expect(periods('当月,', null, 2024, 9)).toEqual(['2024-09']);
    expect(periods('1-12月,', null, 2023)).toEqual(['2023']);
  });

  it('takes the publication year, or the year before for a month not yet over', () => {
    expect(periods('12月份,', '2024-01-18')).toEqual(['2023-12']);
    expect(periods('1-9月,', '2024-10-25')).toEqual(['2024-01/2024-09']);
  });

  it('keeps a written year and refuses a mistyped one', () => {
    expect(periods('2023年1—4月,', null)).toEqual(['2023-01/2023-04']);
    expect(periods('2024年前三季度,', null)).toEqual(['2024-01/2024-09']);
    expect(periods('20233年,', null, 2023)).toEqual([null]);
    // A comparison base is no period: 增速比1-8月提高.
    expect(periods('增速比1-8月提高0.4个百分点', null, 2024)).toEqual([]);
  });

  it('reads English parts of a year', () => {
    const en = (s: string) => findPeriodsEn(s, '2023-10-30').map((p) => p.period);
    expect(en('In the first three quarters, income rose')).toEqual(['2023-01/2023-09']);
    expect(en('In January-September, output rose')).toEqual(['2023-01/2023-09']);
    expect(en('in the first half of 2024')).toEqual(['2024-01/2024-06']);
  });
});

describe('the document model', () => {
  it('lets the title’s period and region flow to 全区 sentences', () => {
    const ms = run(['1-9月，全区社会消费品零售总额295.63亿元，同比增长4.4%。'], {
      title: '2024年1-9月柯桥区经济运行情况',
    });
    expect(ms).toMatchObject([
      {
        region: '柯桥区',
        indicator: 'retail_sales',
        period: '2024-01/2024-09',
        value: 29_563_000_000,
        changePct: 4.4,
      },
    ]);
  });

  it('lets the lead’s year date 全年 later on', () => {
    const ms = run(
      [
        '记者日前从吴兴区统计局获悉，2022年，吴兴区经济社会发展主要指标稳中有进。',
        '全年全体居民人均可支配收入69842元，增长5.6%。',
      ],
      { title: '居民收入稳步增长', publishedAt: '2023-02-10' },
    );
    expect(ms).toMatchObject([
      {
        region: '吴兴区',
        indicator: 'disposable_income_per_capita',
        period: '2022',
        value: 69842,
        changePct: 5.6,
      },
    ]);
  });

  it('gives a work report’s results to the year before (过去一年)', () => {
    const ms = run(['过去一年，全市生产总值3750.6亿元，增长6.1%。'], {
      title: '2024年湖州市政府工作报告',
      publishedAt: '2024-01-30',
    });
    expect(ms).toMatchObject([
      { region: '湖州市', indicator: 'gdp', period: '2023', value: 375_060_000_000 },
    ]);
  });

  it('a 其中 sentence continues the figure before it for a part of its period', () => {
    const ms = run(['上半年，全区生产总值918.58亿元，同比增长8.2%。其中，二季度当季增长9.1%。'], {
      title: '柯桥区2023年上半年经济运行情况',
      publishedAt: '2023-07-25',
    });
    expect(ms.map((m) => [m.indicator, m.period, m.value, m.changePct])).toEqual([
      ['gdp', '2023-01/2023-06', 91_858_000_000, 8.2],
      ['gdp', '2023-04/2023-06', null, 9.1],
    ]);
  });

  it('a five-year review gives the level it reached to the year before publication', () => {
    const ms = run(['过去五年，全市地区生产总值由2017年的675.8亿元增加到1021.6亿元，年均增长7.2%。'], {
      title: '2023年平湖市政府工作报告',
      publishedAt: '2023-01-10',
    });
    expect(ms.map((m) => [m.region, m.period, m.value, m.changePct, m.changeKind])).toEqual([
      ['平湖市', '2022', 102_160_000_000, 7.2, 'multi_year_average'],
      ['平湖市', '2017', 67_580_000_000, null, null],
    ]);
  });

  it('drops an undatable figure with a warning', () => {
    const warnings: string[] = [];
    const ms = run(['今年以来，全区规上工业增加值同比增长9.2%。'], { publishedAt: null, warnings });
    expect(ms).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('industrial_value_added');
  });
});

describe('falls, points and ratios', () => {
  const title = '2023年柯桥区国民经济和社会发展统计公报';
  it('下降 and a written minus are falls', () => {
    const ms = run(['全区一般公共预算收入98.42亿元，同比下降2.1%；固定资产投资增长-3.4%。'], { title });
    expect(ms.map((m) => [m.indicator, m.changePct])).toEqual([
      ['general_public_budget_revenue', -2.1],
      ['fixed_asset_investment', -3.4],
    ]);
  });

  it('points go to changePp, never changePct', () => {
    const [m] = run(['全区空气质量优良天数比例93.4%，比上年提高1.2个百分点。'], { title });
    expect(m).toMatchObject({ value: 93.4, changePct: null, changePp: 1.2 });
  });

  it('a ratio as written, with its absolute change and never the income’s growth', () => {
    const ms = run(
      ['全区农村居民人均可支配收入49872元，增长7.1%，城乡居民收入比为1.58∶1，比上年缩小0.02。'],
      {
        title,
      },
    );
    expect(ms.find((m) => m.indicator === 'urban_rural_income_ratio')).toMatchObject({
      value: 1.58,
      changePct: null,
      changeAbs: -0.02,
    });
  });

  it('分别 after two single figures gives each its own change', () => {
    const ms = run(
      ['其中，城镇居民人均可支配收入79126元，农村居民人均可支配收入48730元，分别增长4.8%和6.5%。'],
      {
        title,
      },
    );
    expect(ms.map((m) => [m.indicator, m.value, m.changePct])).toEqual([
      ['urban_disposable_income_per_capita', 79126, 4.8],
      ['rural_disposable_income_per_capita', 48730, 6.5],
    ]);
  });

  it('a target is a target', () => {
    const ms = run(['今年全区经济社会发展的主要预期目标是：地区生产总值增长6%左右。'], {
      title: '2024年柯桥区政府工作报告',
      publishedAt: '2024-01-20',
    });
    expect(ms).toMatchObject([{ indicator: 'gdp', period: '2024', changePct: 6, qualifier: 'target' }]);
  });
});

describe('English', () => {
  const en = (paragraphs: string[]) =>
    run(paragraphs, {
      title: "Anji's economy posts steady growth in 2023",
      publishedAt: '2024-02-10',
      source: 'Anji County Media Center',
    });

  it('qualifier, rank of a named set and its size', () => {
    const ms = en([
      "Per capita disposable income of rural residents rose 7.4 percent to more than 45,000 yuan last year, the highest among Zhejiang's 90 counties.",
    ]);
    expect(ms).toMatchObject([
      {
        region: '安吉县',
        indicator: 'rural_disposable_income_per_capita',
        period: '2023',
        value: 45000,
        qualifier: 'above',
        changePct: 7.4,
        rank: 1,
        rankScope: 'province',
        rankTotal: 90,
      },
    ]);
  });

  it('numbers in words beyond ten', () => {
    expect(parseEnglishNumberWords('twenty-four thousand five hundred')).toBe(24500);
    expect(parseEnglishNumberWords('two three')).toBeNull();
    const ms = en(['Nearly twelve thousand new market entities were registered in the county last year.']);
    expect(ms).toMatchObject([{ indicator: 'new_market_entities', value: 12000, qualifier: 'about' }]);
  });
});
