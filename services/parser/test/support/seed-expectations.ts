/**
 * What `seeds/documents/README.md` says must and must not be in each document's clean `text`,
 * turned into checks. Written from the README and the source texts, never from parser output.
 * `mustNot` entries are substrings; `mustNotParagraph` entries must not stand as a whole paragraph
 * (a caption that is also a word of the body: `中国轻纺城`).
 */
export interface SeedExpectation {
  file: string;
  title: string;
  publishedAt: string | null;
  language: 'zh-Hans' | 'zh-Hant' | 'en' | 'mixed';
  must: string[];
  mustNot: string[];
  mustNotParagraph?: string[];
  /** Whether the page's content is Chinese (templates for English sites keep English paragraphs only). */
  hasEnglish: boolean;
  hasChinese: boolean;
}

export const SEED_EXPECTATIONS: SeedExpectation[] = [
  {
    file: '000_470bb5686944492e.txt',
    title: 'Tops in the province once again!|蝉联!全省优秀!',
    publishedAt: '2023-03-28',
    language: 'mixed',
    hasEnglish: true,
    hasChinese: true,
    must: [
      'Recent evaluation results from the Societal Construction Commission',
      'the gross regional product reached a towering 190.1 billion at an increase of 4.5%',
      '28,200 new market entities',
      'narrowed to 1.599',
      '近日,省委社建委公布了2022年共富示范区建设工作考评结果',
      '新增市场主体2.82万家',
      '地区生产总值1901亿元,增长4.5%',
      '328个村集体经济组织平均经营性收入达到356万元',
      '农村人均可支配收入增长7.4%,首破“五万元”大关',
      '城乡居民收入比缩小至1.599',
      '在浙江城市慈善发展指数中以82.42分,位居全省第一',
      '持续激发先行示范星火效应。',
    ],
    mustNot: [
      '查看原文',
      '其他',
      '一起为浙江稠州金租男篮加油',
      '徐晔 摄',
      '编辑:',
      '翻译:',
      '终审:',
      '您可能也对以下帖子感兴趣',
      '文章有问题',
      '未经处理的缓存',
    ],
  },
  {
    file: '001_3f8d7578f9eff8c9.txt',
    title: 'Tops in the province once again!|蝉联!全省优秀!',
    publishedAt: '2023-03-28',
    language: 'en',
    hasEnglish: true,
    hasChinese: false,
    must: [
      'Recent evaluation results from the Societal Construction Commission',
      'reached a towering 190.1 billion at an increase of 4.5%',
      'Per capita disposable income in rural areas increased by 7.4%',
      'With 82.42 points on the Zhejiang City Charity Development Index',
      'leading demonstration zones rise - and light the way.',
    ],
    mustNot: ['图片:徐晔 摄', '徐晔', '柯桥传媒集团 柯桥发布 2023-03-28'],
  },
  {
    file: '002_c648c510082db0c0.txt',
    title: '柯桥:全国“十强区” 竞跑大赛道',
    publishedAt: null,
    language: 'zh-Hans',
    hasEnglish: false,
    hasChinese: true,
    must: [
      '居民人均可支配收入首次突破7万元,排名全省第四',
      '城乡居民收入倍差缩小至1.648,农村居民人均可支配收入4.8万元,排名全省第二',
      '柯桥全区村级集体经济年收入达20.48亿元、村级集体经济经营性收入10.32亿元',
      '空气质量优良天数比例达90%',
      '力争实现地区生产总值增长7.5%以上',
      '重大项目是攻坚突破的主引擎。柯桥区今年全面启动',
      '节能降耗减排为重点的“亩产效益”导向',
      '作为省级执法监管数字化应用试点,在前不久召开的',
      '强优势产业 育创新动能 打造“智造强区”新高地',
      '全力推动共同富裕示范先行区建设不断取得新的成效。',
    ],
    mustNot: [
      '和美瓜渚湖',
      '漓渚千亩花田',
      '羊山攀岩馆',
      '赵炜 摄',
      '本版图片由',
      '我们走在',
      '大路上',
      '金燕翔',
    ],
    mustNotParagraph: ['中国轻纺城', '高质量发展建设', '共同富裕示范区', '主引', '擎。'],
  },
  {
    file: '003_c3625e4dd3ccaf1d.txt',
    title: '',
    publishedAt: null,
    language: 'zh-Hant',
    hasEnglish: false,
    hasChinese: true,
    must: [
      '近日記者從嘉興市南湖區共富辦了解到',
      '實現地區生產總值729.91億元,兩年平均增長7%',
      '南湖區城鄉人均可支配收入分別達到63792元和42830元,分別增長9.2%和10.2%',
      '城鄉居民收入倍差縮小至1.49:1',
      '全區城鎮新增就業1.29萬人',
      '區共富辦相關負責人表示。',
    ],
    mustNot: [
      '(qū)',
      '(fā)',
      '(zhì)',
      '關鍵詞',
      '銀票網最新消息',
      '手機回收',
      '超市發',
      '百濟神州',
      '?/a>',
      '/a>',
      '- 紅船旁',
      '1 紅船旁',
      '北汽瑞翔',
      '山東萊陽',
    ],
  },
  {
    file: '004_809b2510820eaeed.txt',
    title: '浙江共同富裕示范區建設穩步推進',
    publishedAt: null,
    language: 'zh-Hant',
    hasEnglish: false,
    hasChinese: true,
    must: [
      '浙江省地區生產總值超8萬億元,工業增加值比上年增長4.9%,居民人均可支配收入達63830元',
      '已吸引超過10家人工智能企業落戶圖靈小鎮',
      '杭州蓮誼農業開發有限公司',
      '讓農民增收、企業增效、集體增富',
      '高層住宅、學校、醫院、文化廣場',
      '深入實施“千村示范、萬村整治”工程',
      '浙江農村居民人均可支配收入達40311元',
      '走上了一條生態美、產業興、百姓富的發展新路。',
    ],
    mustNot: [
      '九宮格',
      '講座',
      '共享空間',
      '個人空間',
      '舞蹈教室',
      '已發佈',
      '分類:',
      '作者:',
      '標籤:',
      '發佈留言',
      '電子郵件地址不會公開',
      '必填欄位',
      '_中國網',
    ],
    mustNotParagraph: ['留言'],
  },
];

/** Checks one text against an expectation; returns the failed checks (empty: all right) and the count. */
export function checkSegments(
  text: string,
  paragraphs: string[],
  exp: Pick<SeedExpectation, 'must' | 'mustNot' | 'mustNotParagraph'>,
  extraMustNot: string[] = [],
  keep: (segment: string) => boolean = () => true,
): { total: number; failed: string[] } {
  const failed: string[] = [];
  let total = 0;
  for (const m of exp.must.filter(keep)) {
    total++;
    if (!text.includes(m)) failed.push(`missing: ${m}`);
  }
  for (const m of [...exp.mustNot, ...extraMustNot]) {
    total++;
    if (text.includes(m)) failed.push(`present: ${m}`);
  }
  for (const m of exp.mustNotParagraph ?? []) {
    total++;
    if (paragraphs.some((p) => p.trim() === m)) failed.push(`paragraph present: ${m}`);
  }
  return { total, failed };
}
