import { describe, expect, it } from 'vitest';
import { makeBlock, type Block } from '../extract/block';
import { ctx } from '../../test/support/context';
import { cleanBlocks } from './pipeline';

const lines = (...ls: string[]): Block[] => ls.map((l) => makeBlock(l, 'p'));
const clean = (blocks: Block[], mode: 'text' | 'html' = 'text') =>
  cleanBlocks(ctx, { blocks, mode, knownTitle: mode === 'html' ? '标题' : null });

const BODY = [
  '近年来,南湖区深入推进城乡融合发展试验区改革试点,推动美丽乡村转化美丽经济,累计建成5条美丽乡村精品线。',
  '2021年,南湖区城乡居民人均可支配收入分别达到63792元和42830元,城乡居民收入倍差缩小至1.49:1。',
  '南湖区进一步完善公共政策工具箱,新增困难群众创新激励计划等举措,城镇新增就业1.29万人。',
];

describe('cleanBlocks', () => {
  it('removes a list of unrelated headlines by topical overlap, and keeps an on-topic content list', () => {
    const spam = [
      '- 手机回收产业需加强政策引导和监管',
      '- 超市发五一假期蔬菜销量430吨',
      '- 百济神州一季度净利亏损28.66亿元',
      '- 北汽瑞翔油补攻略已就位',
    ];
    const content = [
      '- 南湖区城镇新增就业1.29万人',
      '- 南湖区城乡居民收入倍差缩小至1.49:1',
      '- 南湖区累计建成5条美丽乡村精品线',
    ];
    const r = clean(
      lines('南湖区共同富裕示范区建设', ...BODY, ...content, '关键词: 银票网 方正金鼎 迅驰基金', ...spam),
    );
    const text = r.paragraphs.map((p) => p.text).join('\n');
    expect(text).toContain('- 南湖区城镇新增就业1.29万人');
    expect(text).not.toContain('手机回收');
    expect(text).not.toContain('关键词');
    expect(r.removed.filter((x) => x.bucket === 'spamLinks').map((x) => x.text)).toEqual(
      expect.arrayContaining(['关键词: 银票网 方正金鼎 迅驰基金', ...spam]),
    );
  });

  it('re-joins a word broken across layout lines and skips a caption standing inside the break', () => {
    const r = clean(
      lines(
        '柯桥:全国十强区 竞跑大赛道',
        ...BODY,
        '重大项目是攻坚突破的主引',
        '擎。柯桥区今年全面启动重大项目攻坚年,重点攻坚100个重大项目。',
        '自2006年以来,柯桥区不断完善以节约集约用地、节能降耗减排为',
        '中国轻纺城',
        '重点的亩产效益导向、约束和评价机制。',
      ),
    );
    const text = r.paragraphs.map((p) => p.text);
    expect(text).toContain(
      '重大项目是攻坚突破的主引擎。柯桥区今年全面启动重大项目攻坚年,重点攻坚100个重大项目。',
    );
    expect(text).toContain(
      '自2006年以来,柯桥区不断完善以节约集约用地、节能降耗减排为重点的亩产效益导向、约束和评价机制。',
    );
    expect(r.removed.some((x) => x.category === 'caption' && x.text === '中国轻纺城')).toBe(true);
  });

  it('does not join a heading to the paragraph after it', () => {
    const r = clean(
      lines(
        '标题行',
        ...BODY,
        '抓基层治理 优生态环境',
        '近日,浙江省建设平安浙江工作会议召开,柯桥区荣获平安牌。',
      ),
    );
    expect(r.paragraphs.map((p) => p.text)).toContain('抓基层治理 优生态环境');
  });

  it('removes credits, mirror chrome and trailing promotions by rule and position', () => {
    const r = clean(
      lines(
        '查看原文',
        '标题:蝉联全省优秀',
        '柯桥传媒集团 柯桥发布 2023-03-28',
        ...BODY,
        '一起为浙江稠州金租男篮加油',
        '图片:徐晔 摄',
        '编辑:柯桥传媒集团',
        '您可能也对以下帖子感兴趣',
      ),
    );
    expect(r.titleLine).toBe('标题:蝉联全省优秀');
    expect(r.infoLines).toContain('柯桥传媒集团 柯桥发布 2023-03-28');
    expect(r.paragraphs.map((p) => p.text)).toEqual(BODY);
    const cats = Object.fromEntries(r.removed.map((x) => [x.text, x.category]));
    expect(cats['查看原文']).toBe('mirror');
    expect(cats['编辑:柯桥传媒集团']).toBe('credit');
    expect(cats['一起为浙江稠州金租男篮加油']).toBe('slogan');
  });

  it('applies English rules (WordPress chrome, print links) to English pages', () => {
    const en = [
      'The proof is in the numbers. Last year alone, average operating income reached 3.56 million yuan.',
      'Per capita disposable income in rural areas increased by 7.4%, breaking the threshold.',
    ];
    const r = clean(
      [
        ...en,
        'Posted in News',
        'Leave a Reply',
        'Your email address will not be published. Required fields are marked *',
        'Print this page',
      ].map((l) => makeBlock(l, 'p')),
      'html',
    );
    expect(r.paragraphs.map((p) => p.text)).toEqual(en);
  });

  it('keeps table rows as content even when they look like short lines', () => {
    const table = makeBlock('指标\t数值\n地区生产总值\t1901亿元\n农村居民人均可支配收入\t50000元', 'table');
    const r = clean([...lines('标题行', ...BODY), table]);
    expect(r.paragraphs.find((p) => p.kind === 'table')?.text).toBe(table.text);
  });
});
