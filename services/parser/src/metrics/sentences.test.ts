import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractMetrics } from './index';
import { buildInput } from '../../test/support/seed-fixtures';
import { ctx } from '../../test/support/context';

/** A one- or few-paragraph article about 柯桥区 unless the title says otherwise. */
function run(
  paragraphs: string[],
  opts: { title?: string; publishedAt?: string | null; traditional?: boolean } = {},
) {
  const input = buildInput(paragraphs, {
    title: opts.title ?? '柯桥区经济运行情况',
    publishedAt: opts.publishedAt === undefined ? '2023-03-28' : opts.publishedAt,
    source: null,
    traditional: opts.traditional,
  });
  return extractMetrics(ctx.metrics, input);
}

const brief = (ms: ReturnType<typeof run>) =>
  ms.map((m) => ({
    indicator: m.indicator,
    region: m.region,
    period: m.period,
    value: m.value,
    changePct: m.changePct,
  }));

describe('ratios moving between two figures (h16w)', () => {
  const ratio = (ms: ReturnType<typeof run>) =>
    ms
      .filter((m) => m.indicator === 'urban_rural_income_ratio')
      .map((m) => ({ period: m.period, value: m.value, changeAbs: m.changeAbs }));

  it('从A缩小到B: B is the current figure and B−A its change; A names no year, so it is not stored', () => {
    expect(ratio(run(['2023年，全区城乡居民收入比从1.92缩小到1.86。']))).toEqual([
      { period: '2023', value: 1.86, changeAbs: -0.06 },
    ]);
  });

  it('由A扩大到B: a widening is a positive distance', () => {
    expect(ratio(run(['2023年，全区城乡居民收入比由1.64扩大到1.67。']))).toEqual([
      { period: '2023', value: 1.67, changeAbs: 0.03 },
    ]);
  });

  it('a ratio written N:1 keeps the change of the next clause after a comparison', () => {
    expect(ratio(run(['2023年，全区城乡居民收入倍差为1.66:1，比上年缩小0.03。']))).toEqual([
      { period: '2023', value: 1.66, changeAbs: -0.03 },
    ]);
    expect(ratio(run(['2023年，全区城乡居民收入比为1.58:1，较去年同期缩小0.02。']))).toEqual([
      { period: '2023', value: 1.58, changeAbs: -0.02 },
    ]);
  });
});

describe('milestones before or after the precise figure (h16w)', () => {
  it('迈上…台阶 then the precise figure: the precise one wins and takes the change', () => {
    expect(brief(run(['2023年，全区地区生产总值迈上500亿元台阶，达到512.3亿元，增长7.2%。']))).toEqual([
      { indicator: 'gdp', region: '柯桥区', period: '2023', value: 51_230_000_000, changePct: 7.2 },
    ]);
  });

  it('跨越千亿大关 in words, and 站上…台阶 after the figure, do not cut the change off', () => {
    expect(brief(run(['2023年，全区地区生产总值跨越千亿大关，达到1046.2亿元，增长5.4%。']))).toEqual([
      { indicator: 'gdp', region: '柯桥区', period: '2023', value: 104_620_000_000, changePct: 5.4 },
    ]);
    expect(brief(run(['2023年，全区地区生产总值达到1046.2亿元，站上千亿台阶，增长5.4%。']))).toEqual([
      { indicator: 'gdp', region: '柯桥区', period: '2023', value: 104_620_000_000, changePct: 5.4 },
    ]);
  });

  it('a milestone alone is a threshold passed', () => {
    const ms = run(['2023年，全区地区生产总值迈上500亿元台阶。']);
    expect(ms.map((m) => [m.indicator, m.value, m.qualifier])).toEqual([['gdp', 50_000_000_000, 'above']]);
  });
});

describe('periods', () => {
  it('two periods in one sentence: 由上年的1.72缩小至1.69', () => {
    const ms = run(['2022年,全区城乡居民收入比由上年的1.72缩小至1.69。']);
    expect(brief(ms)).toEqual([
      {
        indicator: 'urban_rural_income_ratio',
        region: '柯桥区',
        period: '2022',
        value: 1.69,
        changePct: null,
      },
      {
        indicator: 'urban_rural_income_ratio',
        region: '柯桥区',
        period: '2021',
        value: 1.72,
        changePct: null,
      },
    ]);
  });

  it('去年 resolves against the publication date, and is dropped without one', () => {
    expect(brief(run(['去年,全区地区生产总值1901亿元,增长4.5%。']))).toEqual([
      { indicator: 'gdp', region: '柯桥区', period: '2022', value: 190_100_000_000, changePct: 4.5 },
    ]);
    expect(run(['去年,全区地区生产总值1901亿元,增长4.5%。'], { publishedAt: null })).toEqual([]);
  });

  it('比上年 and 比2020年 are comparison bases, not periods', () => {
    const ms = run([
      '2023年,全区规模以上工业增加值比上年增长6.1%,空气质量优良天数比例比2020年提高2个百分点,达到92.5%。',
    ]);
    expect(brief(ms)).toEqual([
      { indicator: 'industrial_value_added', region: '柯桥区', period: '2023', value: null, changePct: 6.1 },
      {
        indicator: 'air_quality_good_days_ratio',
        region: '柯桥区',
        period: '2023',
        value: 92.5,
        changePct: null,
      },
    ]);
    // 提高2个百分点 is a change in points: changePp, never changePct.
    expect(ms[1]?.changePp).toBe(2);
    expect(ms[1]!.changeKind).toBe('percentage_points');
  });

  it('month ranges: 2023年1-6月', () => {
    const ms = run(['2023年1-6月,全区社会消费品零售总额312.4亿元,同比增长8.3%。']);
    expect(ms[0]).toMatchObject({
      indicator: 'retail_sales',
      period: '2023-01/2023-06',
      value: 31_240_000_000,
      changePct: 8.3,
    });
  });

  it('a year stated earlier in the paragraph dates the figures that follow', () => {
    const ms = run(['2022年,柯桥经济稳中有进。全区新增市场主体2.82万家。']);
    expect(ms[0]).toMatchObject({
      indicator: 'new_market_entities',
      period: '2022',
      value: 28_200,
      unit: 'count',
    });
  });

  it('English: "the first three quarters of this year" is months 1-9 of the report\'s year (h16w)', () => {
    const ms = run(
      [
        "In the first three quarters of this year, Keqiao District's GDP reached 154.2 billion yuan, up 5.9 percent.",
      ],
      { title: 'Keqiao economy', publishedAt: '2023-10-27' },
    );
    expect(brief(ms)).toEqual([
      {
        indicator: 'gdp',
        region: '柯桥区',
        period: '2023-01/2023-09',
        value: 154_200_000_000,
        changePct: 5.9,
      },
    ]);
  });

  it('English: "last year" and "in 2022"', () => {
    const ms = run([
      'Last year, Keqiao’s gross regional product reached 190.1 billion yuan, up 4.5%. In 2021, the urban-rural income ratio narrowed to 1.648.',
    ]);
    expect(brief(ms)).toEqual([
      { indicator: 'gdp', region: '柯桥区', period: '2022', value: 190_100_000_000, changePct: 4.5 },
      {
        indicator: 'urban_rural_income_ratio',
        region: '柯桥区',
        period: '2021',
        value: 1.648,
        changePct: null,
      },
    ]);
  });
});

describe('changes', () => {
  it('declines are negative: 下降, "fell"', () => {
    expect(brief(run(['2023年,全区固定资产投资下降3.2%,社会消费品零售总额增长5.1%。']))).toEqual([
      { indicator: 'fixed_asset_investment', region: '柯桥区', period: '2023', value: null, changePct: -3.2 },
      { indicator: 'retail_sales', region: '柯桥区', period: '2023', value: null, changePct: 5.1 },
    ]);
    expect(
      brief(
        run(['In 2023, Keqiao’s total retail sales of consumer goods fell by 2.5% to 60.2 billion yuan.']),
      ),
    ).toEqual([
      { indicator: 'retail_sales', region: '柯桥区', period: '2023', value: 60_200_000_000, changePct: -2.5 },
    ]);
  });

  it('分别…和… pairs values and changes in order', () => {
    expect(
      brief(run(['2023年,全区城镇和农村居民人均可支配收入分别为86620元和53156元,分别增长4.5%和6.8%。'])),
    ).toEqual([
      {
        indicator: 'urban_disposable_income_per_capita',
        region: '柯桥区',
        period: '2023',
        value: 86_620,
        changePct: 4.5,
      },
      {
        indicator: 'rural_disposable_income_per_capita',
        region: '柯桥区',
        period: '2023',
        value: 53_156,
        changePct: 6.8,
      },
    ]);
  });

  it('a list of indicators with 分别 pairs in order too', () => {
    expect(brief(run(['2023年,全区地区生产总值和社会消费品零售总额分别达到2015亿元和690亿元。']))).toEqual([
      { indicator: 'gdp', region: '柯桥区', period: '2023', value: 201_500_000_000, changePct: null },
      { indicator: 'retail_sales', region: '柯桥区', period: '2023', value: 69_000_000_000, changePct: null },
    ]);
  });

  it('年均增长 is a multi-year average, not annual growth', () => {
    const ms = run(['“十三五”期间,2020年全区地区生产总值1500亿元,年均增长6.2%。']);
    expect(ms[0]).toMatchObject({
      indicator: 'gdp',
      period: '2020',
      value: 150_000_000_000,
      changePct: 6.2,
      changeKind: 'multi_year_average',
    });
  });

  it('an absolute increase is not the value: 增加3000元', () => {
    const ms = run(['2023年,全区农村居民人均可支配收入增加3000元,达到53156元。']);
    expect(brief(ms)).toEqual([
      {
        indicator: 'rural_disposable_income_per_capita',
        region: '柯桥区',
        period: '2023',
        value: 53_156,
        changePct: null,
      },
    ]);
  });
});

describe('a county named only in the dateline', () => {
  const story = (paragraphs: string[], source: string) =>
    extractMetrics(
      ctx.metrics,
      buildInput(paragraphs, { title: '全县经济运行稳中向好', publishedAt: '2024-07-25', source }),
    ).map((m) => [m.region, m.indicator, m.period, m.value]);

  it('本报庆元讯 and a bare 云和讯 name the subject county, over the city paper as source', () => {
    expect(
      story(
        ['本报庆元讯（记者 王丽 通讯员 陈晨）上半年，全县实现地区生产总值72.35亿元，同比增长6.8%。'],
        '丽水日报',
      ),
    ).toEqual([['庆元县', 'gdp', '2024-01/2024-06', 7_235_000_000]]);
    expect(story(['云和讯 上半年，全县社会消费品零售总额31.6亿元，增长5.2%。'], '丽水日报')).toEqual([
      ['云和县', 'retail_sales', '2024-01/2024-06', 3_160_000_000],
    ]);
  });

  it('an English dateline: "YONGKANG, July 24 —"', () => {
    expect(
      story(
        [
          'YONGKANG, July 24 — In the first half of 2024, the city’s GDP rose 7.1 percent to 38.42 billion yuan.',
        ],
        'Jinhua Daily',
      ),
    ).toEqual([['永康市', 'gdp', '2024-01/2024-06', 38_420_000_000]]);
  });
});

describe('distributive: two parts sharing one head noun', () => {
  it('城镇、农村常住居民人均可支配收入分别为a和b,分别增长x和y: each part completed by the head', () => {
    const ms = run([
      '2023年,全区城镇、农村常住居民人均可支配收入分别为68520元和41230元,分别增长4.6%和6.7%。',
      '2023年,全区第二、第三产业增加值分别为512.3亿元和688.1亿元,分别增长7.2%和5.5%。',
    ]);
    expect(ms.map((m) => [m.indicator, m.value, m.changePct])).toEqual([
      ['urban_disposable_income_per_capita', 68_520, 4.6],
      ['rural_disposable_income_per_capita', 41_230, 6.7],
      ['secondary_industry_value_added', 51_230_000_000, 7.2],
      ['tertiary_industry_value_added', 68_810_000_000, 5.5],
    ]);
  });
});

describe('comparison basis between a figure and its change', () => {
  it('按不变价计算, 扣除价格因素后, 与上年相比 are stepped over', () => {
    const ms = run([
      '2023年,全区实现地区生产总值1911.6亿元,按不变价计算,比上年增长7.3%。',
      '2023年,全区规模以上工业增加值702.4亿元,扣除价格因素后,较上年增长9.1%。',
      '2023年,全区一般公共预算收入138.5亿元,与上年相比,下降2.2%。',
    ]);
    expect(ms.map((m) => [m.indicator, m.value, m.changePct])).toEqual([
      ['gdp', 191_160_000_000, 7.3],
      ['industrial_value_added', 70_240_000_000, 9.1],
      ['general_public_budget_revenue', 13_850_000_000, -2.2],
    ]);
  });
});

describe('qualifiers, targets and ranks', () => {
  it('约/近 → about, 以上/超 → above', () => {
    const ms = run(['2023年,全区新增市场主体约3万家,城镇新增就业超2万人。']);
    expect(ms.map((m) => [m.indicator, m.value, m.qualifier])).toEqual([
      ['new_market_entities', 30_000, 'about'],
      ['new_urban_jobs', 20_000, 'above'],
    ]);
  });

  it('goals (力争, 目标, 预计) carry the target qualifier and are never actual values', () => {
    const ms = run(['力争2025年全区地区生产总值突破2500亿元。', '预计2023年全区固定资产投资增长10%。']);
    expect(ms).toHaveLength(2);
    expect(ms.every((m) => m.qualifier === 'target')).toBe(true);
    expect(
      run(['Keqiao aims to raise its gross regional product to 250 billion yuan in 2025.']).every(
        (m) => m.qualifier === 'target',
      ),
    ).toBe(true);
  });

  it('全省第四 and "first province-wide" are ranks with a scope; 前10 is a top-n rank', () => {
    const ms = run([
      '2023年,全区居民人均可支配收入80000元,排名全省第四;地区生产总值2015亿元,总量保持全省前10。',
    ]);
    expect(ms.map((m) => [m.indicator, m.rank, m.rankScope, m.qualifier])).toEqual([
      ['disposable_income_per_capita', 4, 'province', null],
      ['gdp', 10, 'province', 'top_n'],
    ]);
    const en = run([
      'In 2023, per capita disposable income in rural areas reached 53,156 yuan, ranking first province-wide.',
    ]);
    expect(en[0]).toMatchObject({
      indicator: 'rural_disposable_income_per_capita',
      value: 53_156,
      rank: 1,
      rankScope: 'province',
    });
  });

  it('第一方阵 and 第一批 are not ranks', () => {
    const ms = run(['2023年,全区地区生产总值2015亿元,位居全省第一方阵。']);
    expect(ms[0]).toMatchObject({ indicator: 'gdp', rank: null });
  });

  it('a written minus sign makes a growth negative: 增长-3.2%', () => {
    expect(run(['2023年,全区固定资产投资增长-3.2%。'])[0]).toMatchObject({ changePct: -3.2 });
    // 下降-3.2% is a typo as often as a double negative: not read.
    expect(run(['2023年,全区固定资产投资下降-3.2%。'])).toEqual([]);
  });

  it('a rank of the growth rate is not the rank of the figure', () => {
    const ms = run(['2023年,全区地区生产总值2015亿元,增速居全省第二。']);
    expect(ms[0]).toMatchObject({ indicator: 'gdp', value: 201_500_000_000, rank: null });
  });
});

describe('regions', () => {
  it('我区/全区 is the subject, 全市 its city, 全省 the province, a named region itself', () => {
    const ms = run([
      '2023年,我区地区生产总值2015亿元;全市地区生产总值7791亿元;全省地区生产总值82553亿元;越城区地区生产总值900亿元。',
    ]);
    expect(ms.map((m) => [m.region, m.value])).toEqual([
      ['柯桥区', 201_500_000_000],
      ['绍兴市', 779_100_000_000],
      ['浙江省', 8_255_300_000_000],
      ['越城区', 90_000_000_000],
    ]);
  });

  it('figures of a group, a subset or the nation are not the region’s', () => {
    expect(run(['2023年,26个山区县地区生产总值全部突破百亿元。'])).toEqual([]);
    expect(run(['2023年,全区新增市场主体2.82万家,其中新增企业1万家。']).map((m) => m.value)).toEqual([
      28_200,
    ]);
    expect(run(['2023年,全国地区生产总值126万亿元。'])).toEqual([]);
  });

  it('without a region the article can be attributed to, nothing is emitted', () => {
    expect(run(['2023年,全区地区生产总值2015亿元。'], { title: '经济运行情况' })).toEqual([]);
  });

  it('traditional text is matched through simplified and names regions in simplified', () => {
    const ms = run(['2021年,南湖區城鎮新增就業1.29萬人。'], { title: '嘉興市南湖區', traditional: true });
    expect(ms[0]).toMatchObject({
      region: '南湖区',
      indicator: 'new_urban_jobs',
      value: 12_900,
      unit: 'persons',
      lang: 'zh-Hant',
    });
  });

  it('an appositive that locates the subject does not replace it', () => {
    const opts = { title: 'County economy in 2023', publishedAt: '2024-02-01' };
    const one = (p: string) => run([p], opts).map((m) => [m.region, m.indicator, m.value]);
    expect(
      one(
        'Pan’an County, a mountain county in central Jinhua, saw its GDP grow 6.4 percent to 20.61 billion yuan in 2023.',
      ),
    ).toEqual([['磐安县', 'gdp', 20_610_000_000]]);
    expect(
      one(
        'Lin’an, a district in western Hangzhou, saw its industrial added value reach 31.2 billion yuan in 2023.',
      ),
    ).toEqual([['临安区', 'industrial_value_added', 31_200_000_000]]);
    expect(one('嵊泗县地处舟山市东北部,2023年实现地区生产总值132.5亿元,增长8.2%。')).toEqual([
      ['嵊泗县', 'gdp', 13_250_000_000],
    ]);
  });
});

describe('precision', () => {
  it('two different figures for the same indicator, region and period are both dropped', () => {
    expect(run(['2023年,全区地区生产总值2015亿元。', '2023年,全区地区生产总值2105亿元。'])).toEqual([]);
  });

  it('the same fact in English and Chinese is one metric', () => {
    const ms = run([
      '2023年,全区地区生产总值2015亿元,增长6.1%。',
      'In 2023, Keqiao’s gross regional product reached 201.5 billion yuan, an increase of 6.1%.',
    ]);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({ lang: 'mixed', value: 201_500_000_000, changePct: 6.1 });
    expect(ms[0]!.evidence).toHaveLength(2);
  });

  it('the same figure rounded differently in two languages is one fact, kept at its finer precision', () => {
    const ms = run([
      '2022年,柯桥区实现地区生产总值1901.08亿元,增长4.5%。',
      "Keqiao's GDP in 2022 was 190.1 billion yuan, up 4.5 percent year on year.",
    ]);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({ value: 190_108_000_000, lang: 'mixed' });
  });

  it('spans of years (近年来, 十三五期间, "in recent years") date nothing, even under a dated title', () => {
    const opts = { title: '2022年柯桥区国民经济和社会发展统计公报' };
    expect(run(['近年来,柯桥区GDP年均增长8%,总量突破1900亿元。'], opts)).toEqual([]);
    expect(run(['“十三五”期间,全区地区生产总值年均增长6.5%。'], opts)).toEqual([]);
    expect(run(['十三五期间,全区地区生产总值突破1900亿元。'], opts)).toEqual([]);
    expect(run(['In recent years, Keqiao’s GDP has grown by 8% a year.'], opts)).toEqual([]);
  });

  it('nothing from headline lists or keyword lines', () => {
    const ms = run([
      '关键词: 地区生产总值 增长',
      '- 2023年柯桥区地区生产总值增长6.1%\n- 2023年柯桥区新增市场主体3万家\n- 柯桥区城镇新增就业2万人',
      '1 2023年柯桥区地区生产总值2015亿元\n2 柯桥区新增市场主体3万家',
    ]);
    expect(ms).toEqual([]);
  });
});

describe('figures that are not the year’s value', () => {
  it('quarters and halves: dated by their own year, else by the report year', () => {
    // No title period and a lead with two periods: 一季度 takes the publication year (2023-03-28).
    expect(run(['2023年,柯桥经济平稳。一季度,全区地区生产总值增长5%。'])[0]).toMatchObject({
      period: '2023-01/2023-03',
      changePct: 5,
    });
    // 12月份 in a January release is December of the year before.
    expect(run(['12月份,全区规模以上工业增加值增长3%。'], { publishedAt: '2024-01-20' })[0]).toMatchObject({
      period: '2023-12',
      changePct: 3,
    });
    // 1-9月 with the title's year.
    expect(
      run(['1-9月,全区社会消费品零售总额295.63亿元。'], { title: '2024年1-9月柯桥区经济运行情况' })[0],
    ).toMatchObject({ period: '2024-01/2024-09', value: 29_563_000_000 });
    // 三季度当季 is the single quarter.
    expect(
      run(['三季度当季,全区地区生产总值增长4.9%。'], { title: '柯桥区2024年前三季度经济运行' })[0],
    ).toMatchObject({ period: '2024-07/2024-09' });
    expect(run(['2023年一季度,全区地区生产总值520亿元,增长5%。'])[0]).toMatchObject({
      period: '2023-01/2023-03',
      value: 52_000_000_000,
    });
    expect(run(['2023年前三季度,全区社会消费品零售总额500亿元。'])[0]).toMatchObject({
      period: '2023-01/2023-09',
    });
    expect(run(['In the first quarter of 2023, Keqiao’s GDP grew 5%.'])[0]).toMatchObject({
      period: '2023-01/2023-03',
      changePct: 5,
    });
    expect(
      run(['In January-September, Keqiao’s GDP grew 5%.'], { publishedAt: '2023-10-20' })[0],
    ).toMatchObject({
      period: '2023-01/2023-09',
    });
  });

  it('ranges, distances and shared 分别 are not values', () => {
    expect(run(['2023年,全区固定资产投资2000-2500亿元。'])).toEqual([]);
    expect(run(['2023年,全区地区生产总值增长5%-6%。'])).toEqual([]);
    expect(run(['2023年,柯桥区和越城区居民人均可支配收入分别达到7万元和6万元。'])).toEqual([]);
    expect(run(['2023年,城乡居民收入比比上年缩小0.03,为1.6。']).map((m) => m.value)).toEqual([1.6]);
    expect(
      run(['In 2023, the urban-rural income ratio narrowed by 0.03 to 1.599.']).map((m) => m.value),
    ).toEqual([1.599]);
  });

  it('a comparison with the province average is not a change', () => {
    const ms = run(['2023年,全区实现地区生产总值1500亿元,同比增长6.5%,增速高于全省平均1.2个百分点。']);
    expect(brief(ms)).toEqual([
      { indicator: 'gdp', region: '柯桥区', period: '2023', value: 150_000_000_000, changePct: 6.5 },
    ]);
  });
});

describe('mentions that are part of another quantity', () => {
  it('单位地区生产总值能耗 and 占地区生产总值比重 are not GDP', () => {
    expect(run(['2023年,全区单位地区生产总值能耗下降3.5%,研发经费支出占地区生产总值比重达3.1%。'])).toEqual(
      [],
    );
    expect(run(['In 2023, energy consumption per unit of GDP fell by 3.5%.'])).toEqual([]);
  });

  it('按可比价格计算 between the value and its change does not cut them apart', () => {
    expect(brief(run(['2023年,全区地区生产总值2015亿元,按可比价格计算,比上年增长6.1%。']))).toEqual([
      { indicator: 'gdp', region: '柯桥区', period: '2023', value: 201_500_000_000, changePct: 6.1 },
    ]);
  });
  it('出口交货值 and 出口退税 are not exports; 出口总额 beside them is', () => {
    const ms = run([
      '2023年,全区规上工业出口交货值412.7亿元,增长3.5%;出口退税28.4亿元。',
      '2023年,全区出口总额905.2亿元,增长6.6%。',
    ]);
    expect(ms.map((m) => [m.indicator, m.value, m.changePct])).toEqual([
      ['export_value', 90_520_000_000, 6.6],
    ]);
  });
});

describe('English specifics', () => {
  it('the three industries: "the added value of the primary industry…; the secondary industry, X" (h16w)', () => {
    const ms = run([
      'In 2023, the added value of the primary industry in Keqiao was 3.26 billion yuan, up 2.9 percent; the secondary industry, 81.40 billion yuan, up 6.1 percent; and the tertiary industry, 95.02 billion yuan, up 5.3 percent.',
    ]);
    expect(brief(ms)).toEqual([
      {
        indicator: 'primary_industry_value_added',
        region: '柯桥区',
        period: '2023',
        value: 3_260_000_000,
        changePct: 2.9,
      },
      {
        indicator: 'secondary_industry_value_added',
        region: '柯桥区',
        period: '2023',
        value: 81_400_000_000,
        changePct: 6.1,
      },
      {
        indicator: 'tertiary_industry_value_added',
        region: '柯桥区',
        period: '2023',
        value: 95_020_000_000,
        changePct: 5.3,
      },
    ]);
  });

  it('a bare "the secondary industry" without a fuller mention is not read (h16w)', () => {
    expect(run(['In 2023, Keqiao supported the secondary industry, 12 projects were signed.'])).toEqual([]);
  });

  it.each([
    ["ranking fourth among the city's six districts", 4, 6, 'city'],
    ["the highest among Shaoxing's six counties, cities and districts", 1, 6, 'city'],
    ["ranked second among the province's 90 counties", 2, 90, 'province'],
    ["the highest among Zhejiang's 90 counties, cities and districts", 1, 90, 'province'],
  ] as const)("a ranked set's owner gives the scope: %s (h16w)", (phrase, rank, total, scope) => {
    const ms = run([
      `In 2023, per capita disposable income of residents in Keqiao stood at 70,120 yuan, ${phrase}.`,
    ]);
    expect(ms.map((m) => [m.value, m.rank, m.rankTotal, m.rankScope])).toEqual([
      [70_120, rank, total, scope],
    ]);
  });

  it('"respectively" pairs values and changes in order', () => {
    const ms = run([
      'In 2023, the urban and rural per capita disposable income of Keqiao reached 86,620 yuan and 53,156 yuan respectively, increasing by 4.5% and 6.8% respectively.',
    ]);
    expect(brief(ms)).toEqual([
      {
        indicator: 'urban_disposable_income_per_capita',
        region: '柯桥区',
        period: '2023',
        value: 86_620,
        changePct: 4.5,
      },
      {
        indicator: 'rural_disposable_income_per_capita',
        region: '柯桥区',
        period: '2023',
        value: 53_156,
        changePct: 6.8,
      },
    ]);
  });

  it('a prefix currency: RMB 201.5 billion', () => {
    expect(run(['In 2023, Keqiao’s GDP reached RMB 201.5 billion.'])[0]).toMatchObject({
      indicator: 'gdp',
      value: 201_500_000_000,
      unit: 'CNY',
    });
  });

  it('bare counts after a linking verb', () => {
    const ms = run([
      'In 2022, the number of new market entities in Keqiao was 28,200, and new urban jobs totalled 23,000.',
    ]);
    expect(ms.map((m) => [m.indicator, m.value, m.unit])).toEqual([
      ['new_market_entities', 28_200, 'count'],
      ['new_urban_jobs', 23_000, 'persons'],
    ]);
  });

  it('of which: the part is not the whole', () => {
    const ms = run([
      "In 2022, Shaoxing's GDP reached 735.1 billion yuan, of which Keqiao contributed 190.1 billion yuan.",
    ]);
    expect(ms.map((m) => [m.region, m.value])).toEqual([['绍兴市', 735_100_000_000]]);
  });

  it('change verbs of every form: surged, grow, climbed, slid, contracted', () => {
    const ms = run([
      "In 2023, Keqiao's total retail sales of consumer goods surged 11.4 percent to 70.3 billion yuan.",
      'In 2023, Keqiao saw its general public budget revenue grow 3.2 percent to 15.6 billion yuan.',
      'In 2023, the per capita disposable income of urban residents in Keqiao climbed 4.9 percent to 88,100 yuan.',
      'In 2023, total imports and exports of Keqiao slid 2.7 percent to 160.4 billion yuan.',
      'In 2023, the industrial added value of Keqiao contracted 1.5 percent to 80.2 billion yuan.',
    ]);
    expect(ms.map((m) => [m.indicator, m.value, m.changePct])).toEqual([
      ['retail_sales', 70_300_000_000, 11.4],
      ['general_public_budget_revenue', 15_600_000_000, 3.2],
      ['urban_disposable_income_per_capita', 88_100, 4.9],
      ['total_import_export', 160_400_000_000, -2.7],
      ['industrial_value_added', 80_200_000_000, -1.5],
    ]);
  });

  it('a round number in words after a qualifier is a count, not a year', () => {
    const ms = run([
      'In 2023, Keqiao added nearly two thousand new market entities and over 1,500 new urban jobs.',
    ]);
    expect(ms.map((m) => [m.indicator, m.value, m.qualifier])).toEqual([
      ['new_market_entities', 2_000, 'about'],
      ['new_urban_jobs', 1_500, 'above'],
    ]);
  });

  it('"that of rural residents" with a qualifier before its figure, and its own change', () => {
    const ms = run([
      'In 2023, the per capita disposable income of urban residents in Keqiao was 88,000 yuan, while that of rural residents reached more than 52,000 yuan, up 6.1 percent.',
    ]);
    expect(ms.map((m) => [m.indicator, m.value, m.changePct, m.qualifier])).toEqual([
      ['urban_disposable_income_per_capita', 88_000, null, null],
      ['rural_disposable_income_per_capita', 52_000, 6.1, 'above'],
    ]);
  });

  it('dollars are not yuan', () => {
    expect(run(['In 2023, Keqiao’s GDP reached 28 billion US dollars.'])).toEqual([]);
  });
});

describe('tables', () => {
  it('a table with a header: value and change columns, unit in the header', () => {
    const ms = run([
      '2022年柯桥区主要经济指标',
      '指标\t绝对值(亿元)\t比上年增长(%)\n地区生产总值\t1901\t4.5\n固定资产投资\t\t-3.2\n社会消费品零售总额\t690.5\t5.6',
    ]);
    expect(brief(ms)).toEqual([
      { indicator: 'gdp', region: '柯桥区', period: '2022', value: 190_100_000_000, changePct: 4.5 },
      { indicator: 'fixed_asset_investment', region: '柯桥区', period: '2022', value: null, changePct: -3.2 },
      { indicator: 'retail_sales', region: '柯桥区', period: '2022', value: 69_050_000_000, changePct: 5.6 },
    ]);
    expect(ms[0]!.evidence[0]!.text).toBe('地区生产总值\t1901\t4.5');
  });

  it('a table with a unit column and units in cells', () => {
    const ms = run([
      '2022年全区主要指标完成情况',
      '指标名称\t单位\t数值\t增长(%)\n城镇新增就业\t万人\t1.2\t3.1\n新增市场主体\t家\t28200\t\n城乡居民收入比\t\t1.599\t',
    ]);
    expect(brief(ms)).toEqual([
      { indicator: 'new_urban_jobs', region: '柯桥区', period: '2022', value: 12_000, changePct: 3.1 },
      { indicator: 'new_market_entities', region: '柯桥区', period: '2022', value: 28_200, changePct: null },
      {
        indicator: 'urban_rural_income_ratio',
        region: '柯桥区',
        period: '2022',
        value: 1.599,
        changePct: null,
      },
    ]);
  });

  it('a table with one column per year gives one figure per year', () => {
    const ms = run([
      '柯桥区主要经济指标',
      '指标\t2021年\t2022年\n地区生产总值(亿元)\t1821\t1901\n城乡居民收入比\t1.648\t1.599',
    ]);
    expect(ms.map((m) => [m.indicator, m.period, m.value])).toEqual([
      ['gdp', '2021', 182_100_000_000],
      ['gdp', '2022', 190_100_000_000],
      ['urban_rural_income_ratio', '2021', 1.648],
      ['urban_rural_income_ratio', '2022', 1.599],
    ]);
  });
});

describe('property: a generated statement reads back exactly', () => {
  const indicators = [
    ['地区生产总值', 'gdp', '元'],
    ['社会消费品零售总额', 'retail_sales', '元'],
    ['城镇居民人均可支配收入', 'urban_disposable_income_per_capita', '元'],
    ['新增市场主体', 'new_market_entities', '家'],
    ['城镇新增就业', 'new_urban_jobs', '人'],
  ] as const;

  it('value, multiplier, change (growth or decline) and year', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...indicators),
        fc.integer({ min: 1, max: 999_999 }),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(['', 0], ['万', 4], ['亿', 8]),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        fc.integer({ min: 2000, max: 2030 }),
        ([phrase, code, unit], mantissa, decimals, [mult, exp], change10, decline, year) => {
          const digits = String(mantissa).padStart(decimals + 1, '0');
          const written =
            decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
          const expected = Number(BigInt(mantissa) * 10n ** BigInt(exp)) / 10 ** decimals;
          const pct = change10 / 10;
          const sentence = `${year}年,全区${phrase}${written}${mult}${unit},比上年${decline ? '下降' : '增长'}${pct}%。`;
          const ms = run([sentence]);
          expect(ms, sentence).toHaveLength(1);
          expect(ms[0]).toMatchObject({
            indicator: code,
            region: '柯桥区',
            period: String(year),
            value: expected,
            changePct: decline ? -pct : pct,
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
