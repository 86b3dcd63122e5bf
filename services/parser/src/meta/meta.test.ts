import { describe, expect, it } from 'vitest';
import { findDate } from './dates';
import { stripSiteSuffix } from './title';

describe('findDate', () => {
  it.each([
    ['柯桥传媒集团 柯桥发布 2023-03-28', '2023-03-28'],
    ['发布时间：2022年5月6日 10:20', '2022-05-06'],
    ['2021/7/1', '2021-07-01'],
    ['二〇二三年三月二十八日', '2023-03-28'],
    ['二〇二二年十二月三十一日', '2022-12-31'],
    ['二〇二一年十月十日', '2021-10-10'],
    ['Updated: March 28, 2023', '2023-03-28'],
    ['28 Mar 2023', '2023-03-28'],
    ['2023-03-28T08:00:00+08:00', '2023-03-28'],
    ['20230328', '2023-03-28'],
  ])('%s → %s', (s, want) => {
    expect(findDate(s)).toBe(want);
  });
  it('rejects impossible dates and bare years', () => {
    expect(findDate('2023-02-30')).toBeNull();
    expect(findDate('二〇二二年二月三十日')).toBeNull();
    expect(findDate('2021年全区地区生产总值')).toBeNull();
  });
});

describe('stripSiteSuffix', () => {
  it('drops a site name after _ or -, keeps titles that have none', () => {
    expect(stripSiteSuffix('浙江共同富裕示范區建設穩步推進_中國網')).toEqual({
      title: '浙江共同富裕示范區建設穩步推進',
      site: '中國網',
    });
    expect(stripSiteSuffix('柯桥区蝉联考核优秀_部门动态_柯桥区人民政府').title).toBe('柯桥区蝉联考核优秀');
    expect(stripSiteSuffix('Tops in the province once again - Keqiao News').title).toBe(
      'Tops in the province once again',
    );
    expect(stripSiteSuffix('Tops in the province once again!|蝉联!全省优秀!').title).toBe(
      'Tops in the province once again!|蝉联!全省优秀!',
    );
  });
});
