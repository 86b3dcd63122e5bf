import { describe, expect, it } from 'vitest';
import { regionMentions, subjectRegion } from './regions';
import { SEEDS } from '../../test/support/seed-fixtures';
import { ctx } from '../../test/support/context';

describe('gazetteer', () => {
  const data = ctx.metrics;
  const all = [...data.regions.values()];

  it('holds Zhejiang, its 11 prefecture-level cities and 90 county-level divisions', () => {
    expect(all.filter((r) => r.level === 'province').map((r) => r.name)).toEqual(['浙江省']);
    expect(
      all
        .filter((r) => r.level === 'city')
        .map((r) => r.name)
        .sort(),
    ).toEqual(
      [
        '杭州市',
        '宁波市',
        '温州市',
        '嘉兴市',
        '湖州市',
        '绍兴市',
        '金华市',
        '衢州市',
        '舟山市',
        '台州市',
        '丽水市',
      ].sort(),
    );
    const county = all.filter(
      (r) => r.level === 'district' || r.level === 'county' || r.level === 'county_city',
    );
    expect(county).toHaveLength(90);
    expect(county.filter((r) => r.level === 'district')).toHaveLength(37);
    expect(county.filter((r) => r.level === 'county_city')).toHaveLength(20);
    expect(county.filter((r) => r.level === 'county')).toHaveLength(33);
  });

  it('has Hangzhou as reorganised in 2021', () => {
    const hz = all.filter((r) => r.parent === '杭州市').map((r) => r.name);
    expect(hz.sort()).toEqual(
      [
        '上城区',
        '拱墅区',
        '西湖区',
        '滨江区',
        '萧山区',
        '余杭区',
        '临平区',
        '钱塘区',
        '富阳区',
        '临安区',
        '桐庐县',
        '淳安县',
        '建德市',
      ].sort(),
    );
    expect(all.map((r) => r.name)).not.toContain('江干区');
    expect(all.map((r) => r.name)).not.toContain('下城区');
  });

  it('places the seed regions under their parents', () => {
    expect(data.regions.get('柯桥区')).toMatchObject({ parent: '绍兴市', english: 'Keqiao District' });
    expect(data.regions.get('南湖区')).toMatchObject({ parent: '嘉兴市' });
    expect(data.regions.get('龙港市')).toMatchObject({ parent: '温州市', level: 'county_city' });
    expect(data.regions.get('丽水市')).toMatchObject({ parent: '浙江省', level: 'city' });
  });
});

describe('subject region', () => {
  const data = ctx.metrics;
  it.each([
    ['000', '柯桥区'],
    ['001', '柯桥区'],
    ['002', '柯桥区'],
    ['003', '南湖区'],
    ['004', '浙江省'],
  ])('seed %s is about %s', (id, region) => {
    expect(subjectRegion(data, SEEDS[id]!())?.name).toBe(region);
  });

  it('reads traditional and English names', () => {
    expect(subjectRegion(data, { title: '餘杭區2023年經濟運行', source: null, text: '' })?.name).toBe(
      '余杭区',
    );
    expect(subjectRegion(data, { title: 'Yiwu sees exports rise', source: null, text: '' })?.name).toBe(
      '义乌市',
    );
    expect(subjectRegion(data, { title: 'West Lake in spring', source: null, text: '' })).toBeNull();
  });

  it('lists Chinese and English mentions in order of position', () => {
    const regions = (s: string) => regionMentions(data, s).map((m) => [m.start, m.region]);
    expect(regions('Keqiao District与绍兴市, Zhejiang; 南湖区')).toEqual([
      [0, '柯桥区'],
      [16, '绍兴市'],
      [21, '浙江省'],
      [31, '南湖区'],
    ]);
    // Equal scores: the region mentioned first wins, whichever its script.
    expect(subjectRegion(data, { title: '', source: null, text: 'Nanhu District, 柯桥区' })?.name).toBe(
      '南湖区',
    );
    expect(subjectRegion(data, { title: '', source: null, text: '柯桥区, Nanhu District' })?.name).toBe(
      '柯桥区',
    );
  });
});
