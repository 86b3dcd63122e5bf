import { describe, expect, it } from 'vitest';
import { ctx } from '../../test/support/context';
import { ParseLimits } from '../limits';
import { extractHtml } from './html';

const blocks = (body: string) =>
  extractHtml(
    ctx,
    `<html><head><title>统计数据</title></head><body>${body}</body></html>`,
    new ParseLimits(ctx.settings.limits),
  ).blocks.map((b) => [b.kind, b.text]);

describe('data tables', () => {
  it('a page that is one table keeps the whole table, its caption and the lines titling it', () => {
    expect(
      blocks(`<div id="zoom">
        <p>单位：亿元</p>
        <table><caption>2024年1-9月柯桥区主要经济指标</caption>
        <tr><td>指标</td><td>1-9月</td><td>增长(%)</td></tr>
        <tr><td>地区生产总值</td><td>1587.2</td><td>6.1</td></tr>
        <tr><td>社会消费品零售总额</td><td>356.4</td><td>4.3</td></tr></table></div>`),
    ).toEqual([
      ['p', '单位：亿元'],
      ['p', '2024年1-9月柯桥区主要经济指标'],
      ['table', '指标\t1-9月\t增长(%)\n地区生产总值\t1587.2\t6.1\n社会消费品零售总额\t356.4\t4.3'],
    ]);
  });

  it('lays spanned cells on every column and row they cover', () => {
    const table = blocks(`<table>
      <tr><td rowspan="2">指标</td><td rowspan="2">单位</td><td colspan="2">6月</td><td colspan="2">1-6月</td></tr>
      <tr><td>绝对额</td><td>同比±%</td><td>绝对额</td><td>同比±%</td></tr>
      <tr><td>进出口总额</td><td>万元</td><td>2016500</td><td>4.2</td><td>12403580</td><td>6.5</td></tr>
      <tr><td>一般公共预算收入</td><td>万元</td><td>231590</td><td>-</td><td>1728436</td><td>-3.7</td></tr></table>`).find(
      ([kind]) => kind === 'table',
    );
    expect(table).toEqual([
      'table',
      [
        '指标\t单位\t6月\t6月\t1-6月\t1-6月',
        '指标\t单位\t绝对额\t同比±%\t绝对额\t同比±%',
        '进出口总额\t万元\t2016500\t4.2\t12403580\t6.5',
        '一般公共预算收入\t万元\t231590\t-\t1728436\t-3.7',
      ].join('\n'),
    ]);
  });
});
