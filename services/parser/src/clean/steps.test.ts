import { describe, expect, it } from 'vitest';
import { ctx } from '../../test/support/context';
import { makeBlock } from '../extract/block';
import { removeMarkedCaptions, removeStandaloneCaptions } from './captions';
import { readHead, repeatsTitle, squash } from './head';
import { makeItem, type Cleaning, type Item } from './items';
import { continues, joinBrokenParagraphs } from './join';
import { judgeLinkLists, markTextLists } from './link-lists';
import { normalizeBlocks } from './normalize';
import { applyPhraseRules, removeLinkBars } from './phrase-rules';
import { removeTrailingSlogans } from './slogans';

const settings = ctx.settings.clean;
const BODY =
  '近年来,南湖区深入推进城乡融合发展试验区改革试点,推动美丽乡村转化美丽经济,累计建成5条美丽乡村精品线。';
function cleaning(items: Item[], mode: 'html' | 'text' = 'text'): Cleaning {
  return { items, mode, evidence: [], cuts: [], markup: [], warnings: [] };
}
const kept = (c: Cleaning) => c.items.filter((i) => !i.removed).map((i) => i.text);

describe('normalizeBlocks', () => {
  it('normalizes characters, strips pinyin and leaked markup, cuts inline chrome, looks up the line rule', () => {
    const c = cleaning([]);
    normalizeBlocks(
      c,
      [
        makeBlock('南湖區(qū)ＧＤＰ增長９％?/a>', 'p'),
        makeBlock('发布时间:2023-03-28 【打印本页】', 'p'),
        makeBlock('责任编辑:王小明', 'p'),
      ],
      ctx.rules,
    );
    expect(c.items.map((i) => i.text)).toEqual(['南湖區GDP增長9%', '发布时间:2023-03-28', '责任编辑:王小明']);
    expect(c.cuts.map((x) => x.text)).toEqual(['【打印本页】']);
    expect(c.markup).toEqual(['?/a>']);
    expect(c.items[2]!.boilerplate?.category).toBe('credit');
    expect(c.warnings.join(' ')).toMatch(/1 pinyin annotations/);
  });
});

describe('phrase rules and link bars', () => {
  it('removes keyword stuffing (keeping its words as evidence) and rule matches; link bars by density', () => {
    const c = cleaning([]);
    normalizeBlocks(
      c,
      [makeBlock('关键词: 银票网 方正金鼎', 'p'), makeBlock('责任编辑:王小明', 'p'), makeBlock(BODY, 'p')],
      ctx.rules,
    );
    c.items.push(makeItem('首页 新闻 政务 服务', 'p', { linkDensity: 0.9 }));
    applyPhraseRules(c);
    removeLinkBars(c, settings);
    expect(kept(c)).toEqual([BODY]);
    expect(c.evidence).toEqual(['银票网', '方正金鼎']);
    expect(c.items.map((i) => i.removed?.category ?? null)).toEqual(['keywords', 'credit', null, 'links']);
  });
});

describe('link lists', () => {
  it('marks plain-text lists, and tells spam headlines from an on-topic list', () => {
    const items = [
      makeItem(BODY, 'p'),
      makeItem('- 南湖区累计建成5条美丽乡村精品线', 'p'),
      makeItem('- 南湖区推进城乡融合发展试验区', 'p'),
      makeItem('- 南湖区美丽乡村转化美丽经济', 'p'),
      makeItem('手机回收产业需加强政策引导和监管', 'li', { listId: 7, linkDensity: 1 }),
      makeItem('五一假期全国演出票房收入约1.43亿元', 'li', { listId: 7, linkDensity: 1 }),
    ];
    markTextLists(items);
    expect(items.slice(1, 4).every((i) => i.listId !== null)).toBe(true);
    const c = cleaning(items);
    judgeLinkLists(c, settings);
    expect(kept(c)).toHaveLength(4);
    expect(items[4]!.removed?.category).toBe('unrelated-headlines');
  });
});

describe('head', () => {
  it('drops blocks repeating the title, takes the info line and byline below it', () => {
    const c = cleaning(
      [
        '柯桥区经济运行_柯桥区人民政府',
        '发布时间:2023-03-28 来源:柯桥发布',
        '文/金燕翔',
        BODY,
        BODY,
        BODY,
      ].map((t) => makeItem(t, 'p')),
      'html',
    );
    const head = readHead(c, '柯桥区经济运行', settings);
    expect(head.infoLines).toEqual(['发布时间:2023-03-28 来源:柯桥发布', '文/金燕翔']);
    expect(kept(c)).toEqual([BODY, BODY, BODY]);
    expect(repeatsTitle(BODY, squash('柯桥区经济运行'))).toBe(false);
  });

  it('takes a text page’s first short line as its title', () => {
    const c = cleaning([makeItem('南湖区共同富裕示范区建设', 'p'), makeItem(BODY, 'p')]);
    expect(readHead(c, null, settings).titleLine).toBe('南湖区共同富裕示范区建设');
  });
});

describe('captions and slogans', () => {
  it('drops marked captions (long ones only with a photo credit) and short labels between paragraphs', () => {
    const c = cleaning([
      makeItem('市民在书房阅读', 'caption'),
      makeItem(
        'A view of the West Lake scenic area in Hangzhou, Zhejiang province. [Photo/Xinhua]',
        'caption',
      ),
      makeItem(
        'Officials said the county would cap new construction in forest areas to protect the landscape.',
        'caption',
      ),
      makeItem('自2006年以来,柯桥区不断完善以节约集约用地、节能降耗减排为', 'p'),
      makeItem('中国轻纺城', 'p'),
      makeItem('重点的亩产效益导向、约束和评价机制。', 'p'),
    ]);
    removeMarkedCaptions(c, settings);
    removeStandaloneCaptions(c, settings);
    expect(c.items.map((i) => i.removed?.category ?? null)).toEqual([
      'caption',
      'caption',
      null,
      null,
      'caption',
      null,
    ]);
  });

  it('drops short lines trailing the article, up to the last sentence', () => {
    const c = cleaning([BODY, '我们走在', '大路上', '共同富裕示范区'].map((t) => makeItem(t, 'p')));
    removeTrailingSlogans(c, settings);
    expect(kept(c)).toEqual([BODY]);
  });
});

describe('joinBrokenParagraphs', () => {
  it('re-joins a word broken across columns and hard-wrapped English, never a heading', () => {
    const out = joinBrokenParagraphs(
      [
        { text: '重大项目是攻坚突破的主引', kind: 'p' },
        { text: '擎。柯桥区今年全面启动重大项目攻坚年。', kind: 'p' },
        { text: '强优势产业 育创新动能', kind: 'p' },
        { text: '柯桥区今年全面启动重大项目攻坚年。', kind: 'p' },
      ],
      settings,
    );
    expect(out.map((p) => p.text)).toEqual([
      '重大项目是攻坚突破的主引擎。柯桥区今年全面启动重大项目攻坚年。',
      '强优势产业 育创新动能',
      '柯桥区今年全面启动重大项目攻坚年。',
    ]);
    expect(
      continues(
        'The district plans to invest in new logistics and exhibition-',
        'facilities by 2025.',
        settings,
      ),
    ).toBe(true);
  });
});
