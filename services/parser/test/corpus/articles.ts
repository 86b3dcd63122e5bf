/**
 * Articles written for the corpus: the kind of news the pipeline exists for, in the words such pages
 * use. `keep` lists passages the clean text must contain (copied from the paragraphs by hand);
 * `drop` lists what the article itself carries that must not survive (injected terms, captions,
 * credits written into the body).
 */
export interface Article {
  id: string;
  title: string;
  date: string;
  source: string;
  paragraphs: string[];
  keep: string[];
  drop?: string[];
  language: 'zh-Hans' | 'zh-Hant' | 'en';
}

export const ARTICLES: Article[] = [
  {
    id: 'keqiao-economy',
    title: '柯桥区2023年经济运行稳中向好',
    date: '2024-01-26',
    source: '柯桥区统计局',
    language: 'zh-Hans',
    paragraphs: [
      '1月25日，区统计局发布2023年全区经济运行情况。初步核算，全年实现地区生产总值2035.6亿元，按可比价格计算，比上年增长6.8%。',
      '分产业看，第一产业增加值40.2亿元，增长3.1%；第二产业增加值1012.4亿元，增长7.5%；第三产业增加值983.0亿元，增长6.3%。',
      '全年规模以上工业增加值比上年增长8.9%，其中纺织印染、新材料等重点产业保持较快增长。',
      '居民收入稳步增加。全体居民人均可支配收入81236元，比上年增长5.6%；其中农村居民人均可支配收入53418元，增长6.7%，城乡居民收入比缩小至1.59。',
      '区统计局有关负责人表示，下一步将加强经济运行监测分析，为全区高质量发展建设共同富裕示范区提供统计支撑。',
    ],
    keep: [
      '全年实现地区生产总值2035.6亿元，按可比价格计算，比上年增长6.8%。',
      '第二产业增加值1012.4亿元，增长7.5%',
      '全年规模以上工业增加值比上年增长8.9%',
      '全体居民人均可支配收入81236元，比上年增长5.6%',
      '城乡居民收入比缩小至1.59。',
      '为全区高质量发展建设共同富裕示范区提供统计支撑。',
    ],
  },
  {
    id: 'nanhu-villages',
    title: '南湖区村级集体经济实现“百万全覆盖”',
    date: '2023-12-08',
    source: '嘉兴市南湖区农业农村局',
    language: 'zh-Hans',
    paragraphs: [
      '近日，记者从南湖区农业农村局获悉，今年以来，南湖区持续深化强村富民乡村集成改革，全区村级集体经济总收入达到4.36亿元，同比增长12.4%。',
      '截至11月底，全区81个行政村经营性收入全部超过150万元，其中经营性收入超过500万元的村达到23个。',
      '南湖区探索“飞地抱团”发展模式，统筹各镇街闲置土地和资金，建设标准厂房和人才公寓，每年为参与村带来稳定的物业收入。',
      '下一步，南湖区将进一步拓宽村集体增收渠道，推动农民农村共同富裕取得更为明显的实质性进展。',
    ],
    keep: [
      '全区村级集体经济总收入达到4.36亿元，同比增长12.4%。',
      '全区81个行政村经营性收入全部超过150万元',
      '南湖区探索“飞地抱团”发展模式',
      '推动农民农村共同富裕取得更为明显的实质性进展。',
    ],
  },
  {
    id: 'lishui-gep',
    title: '丽水发布生态产品价值核算成果',
    date: '2023-09-15',
    source: '丽水日报',
    language: 'zh-Hans',
    paragraphs: [
      '9月14日，丽水市召开新闻发布会，发布2022年度全市生态系统生产总值（GEP）核算成果。',
      '核算结果显示，2022年丽水市GEP为5685.4亿元，比上年增长3.2%，其中调节服务价值占比超过七成。',
      '作为全国首个生态产品价值实现机制试点市，丽水先后出台生态产品价值核算技术办法、“两山银行”运行规则等制度文件。',
      '目前全市已累计发放生态贷超过500亿元，惠及市场主体4.2万家。',
      '（记者 叶青 通讯员 吴丽君）',
    ],
    keep: [
      '2022年丽水市GEP为5685.4亿元，比上年增长3.2%',
      '作为全国首个生态产品价值实现机制试点市',
      '目前全市已累计发放生态贷超过500亿元，惠及市场主体4.2万家。',
    ],
    drop: ['（记者 叶青 通讯员 吴丽君）'],
  },
  {
    id: 'deqing-digital',
    title: '德清县数字经济核心产业增加值增长15.2%',
    date: '2024-02-02',
    source: '德清发布',
    language: 'zh-Hans',
    paragraphs: [
      '2023年，德清县数字经济核心产业增加值达到128.7亿元，同比增长15.2%，增速居全市第一。',
      '地理信息产业是德清的金名片。目前，德清地理信息小镇已集聚地理信息企业480余家，全年实现营业收入320亿元。',
      '“我们将继续做强空间信息和智能网联汽车两大产业集群。”县经信局相关负责人说。',
      '今年，德清将实施数字经济“一号工程”升级版，力争数字经济核心产业增加值突破150亿元。',
    ],
    keep: [
      '德清县数字经济核心产业增加值达到128.7亿元，同比增长15.2%，增速居全市第一。',
      '德清地理信息小镇已集聚地理信息企业480余家',
      '“我们将继续做强空间信息和智能网联汽车两大产业集群。”县经信局相关负责人说。',
      '力争数字经济核心产业增加值突破150亿元。',
    ],
  },
  {
    id: 'quzhou-prosperity',
    title: '衢州：以“县域共富”推动山区跨越式发展',
    date: '2023-06-20',
    source: '衢州日报',
    language: 'zh-Hans',
    paragraphs: [
      '今年以来，衢州市坚持以县域为单元推进共同富裕，聚焦产业、就业、公共服务三大领域，推动山区县跨越式高质量发展。',
      '一季度，全市城乡居民收入倍差缩小至1.82，低收入农户人均可支配收入增长14.1%。',
      '在龙游县，一批“共富工坊”开到了村口，让村民在家门口实现就业。目前，全市已建成共富工坊1260家，带动3.8万人增收。',
      '衢州市发改委相关负责人表示，将持续完善先富带后富的帮扶机制，让发展成果更多更公平惠及全体人民。',
    ],
    keep: [
      '全市城乡居民收入倍差缩小至1.82，低收入农户人均可支配收入增长14.1%。',
      '全市已建成共富工坊1260家，带动3.8万人增收。',
      '让发展成果更多更公平惠及全体人民。',
    ],
  },
  {
    id: 'tongxiang-table',
    title: '2023年桐乡市主要经济指标',
    date: '2024-02-18',
    source: '桐乡市统计局',
    language: 'zh-Hans',
    paragraphs: [
      '2023年，桐乡市经济运行总体平稳，主要经济指标完成情况如下表。',
      'TABLE',
      '注：地区生产总值增速按可比价格计算。',
    ],
    keep: ['2023年，桐乡市经济运行总体平稳，主要经济指标完成情况如下表。', '地区生产总值\t亿元\t1480.5\t6.2'],
  },
  {
    id: 'anji-bamboo',
    title: '安吉县竹产业全链条转型升级',
    date: '2023-11-03',
    source: '安吉县人民政府',
    language: 'zh-Hans',
    paragraphs: [
      '安吉是“中国竹乡”。近年来，安吉县推动竹产业从卖竹材向卖生态、卖文化转变，竹产业总产值达到182亿元。',
      '在天荒坪镇，竹林碳汇改革让竹林变成了“绿色银行”，全县已完成竹林碳汇交易超过2600万元，惠及农户1.4万户。',
      '安吉还建成竹产业科创园，引进竹基新材料企业36家，开发出竹缠绕管道、竹纤维餐具等新产品。',
    ],
    keep: [
      '竹产业总产值达到182亿元。',
      '全县已完成竹林碳汇交易超过2600万元，惠及农户1.4万户。',
      '引进竹基新材料企业36家',
    ],
  },
  {
    id: 'haining-notice',
    title: '海宁市首个城市书房正式开放',
    date: '2023-04-23',
    source: '海宁市文化和广电旅游体育局',
    language: 'zh-Hans',
    paragraphs: [
      '4月23日世界读书日，海宁市首个24小时城市书房在海昌街道正式开放，市民可凭身份证或读者证自助进馆阅读。',
      'IMAGE:城市书房内景',
      '书房面积约300平方米，藏书1.2万册，设有少儿阅读区、自修区和休闲区，与市图书馆实现通借通还。',
      'IMAGE:市民在书房阅读 张明 摄',
      '市文化和广电旅游体育局表示，今年全市还将新建城市书房5家、乡村文化驿站10家，打造“15分钟品质文化生活圈”。',
    ],
    keep: [
      '海宁市首个24小时城市书房在海昌街道正式开放',
      '藏书1.2万册，设有少儿阅读区、自修区和休闲区',
      '今年全市还将新建城市书房5家、乡村文化驿站10家',
    ],
    drop: ['城市书房内景', '张明 摄'],
  },
  {
    id: 'nanhu-hant',
    title: '南湖區村級集體經濟實現「百萬全覆蓋」',
    date: '2023-12-10',
    source: '南湖新聞網',
    language: 'zh-Hant',
    paragraphs: [
      '近日，記者從南湖區農業農村局獲悉，今年以來，南湖區持續深化強村富民鄉村集成改革，全區村級集體經濟總收入達到4.36億元，同比增長12.4%。',
      '截至11月底，全區81個行政村經營性收入全部超過150萬元，其中經營性收入超過500萬元的村達到23個。',
      '南湖區探索「飛地抱團」發展模式，統籌各鎮街閒置土地和資金，建設標準廠房和人才公寓，每年為參與村帶來穩定的物業收入。',
      '下一步，南湖區將進一步拓寬村集體增收渠道，推動農民農村共同富裕取得更為明顯的實質性進展。',
    ],
    keep: [
      '全區村級集體經濟總收入達到4.36億元，同比增長12.4%。',
      '全區81個行政村經營性收入全部超過150萬元',
      '推動農民農村共同富裕取得更為明顯的實質性進展。',
    ],
  },
  {
    id: 'en-zhejiang-gdp',
    title: "Zhejiang's economy grows 6 percent in 2023",
    date: '2024-01-24',
    source: 'China Daily',
    language: 'en',
    paragraphs: [
      "Zhejiang province's gross domestic product reached 8.26 trillion yuan ($1.15 trillion) in 2023, up 6 percent year-on-year, the provincial bureau of statistics said on Tuesday.",
      'The per capita disposable income of residents in the province rose 5.3 percent to 63,830 yuan, while that of rural residents grew 7.3 percent to 40,311 yuan.',
      "The digital economy remained a major driver. The added value of core industries of the digital economy increased by 10.1 percent, accounting for 11.9 percent of the province's GDP.",
      '"Zhejiang will continue to build a demonstration zone for common prosperity," said Wang Hao, the provincial governor, in his government work report.',
    ],
    keep: [
      "Zhejiang province's gross domestic product reached 8.26 trillion yuan ($1.15 trillion) in 2023, up 6 percent year-on-year",
      'while that of rural residents grew 7.3 percent to 40,311 yuan.',
      "accounting for 11.9 percent of the province's GDP.",
      'said Wang Hao, the provincial governor, in his government work report.',
    ],
  },
  {
    id: 'en-keqiao-textiles',
    title: 'Keqiao textile city goes digital to win global buyers',
    date: '2023-10-12',
    source: 'Zhejiang Daily',
    language: 'en',
    paragraphs: [
      'China Textile City in Keqiao district, Shaoxing, handled trade worth 338.5 billion yuan last year, as online orders made up a growing share of its business.',
      "More than 30,000 merchants now sell fabric through the market's own online platform, which links them with buyers in over 190 countries and regions.",
      '"Ten years ago we waited for customers at the counter. Now most of our orders arrive on the phone," said Chen Jie, who runs a curtain fabric shop in the market.',
      'The district plans to invest 2 billion yuan in digital logistics and exhibition facilities by 2025.',
    ],
    keep: [
      'handled trade worth 338.5 billion yuan last year',
      "More than 30,000 merchants now sell fabric through the market's own online platform",
      'said Chen Jie, who runs a curtain fabric shop in the market.',
      'The district plans to invest 2 billion yuan in digital logistics and exhibition facilities by 2025.',
    ],
  },
  {
    id: 'en-anji-tourism',
    title: "Anji's bamboo forests draw record numbers of visitors",
    date: '2023-08-05',
    source: 'Shanghai Daily',
    language: 'en',
    paragraphs: [
      'Anji county in Huzhou received 31.2 million tourist visits in 2022, generating tourism revenue of 45.6 billion yuan, local authorities said.',
      'The county, known for the bamboo forests featured in the film "Crouching Tiger, Hidden Dragon", has turned former quarries into resorts and cycling routes.',
      'Villagers who once logged bamboo now run homestays. Yucun village alone has more than 40 of them, and its collective income topped 20 million yuan last year.',
      'Officials said the county would cap new construction in forest areas to protect the landscape that draws visitors.',
    ],
    keep: [
      'Anji county in Huzhou received 31.2 million tourist visits in 2022',
      'has turned former quarries into resorts and cycling routes.',
      'Yucun village alone has more than 40 of them, and its collective income topped 20 million yuan last year.',
      'Officials said the county would cap new construction in forest areas to protect the landscape that draws visitors.',
    ],
  },
];

/** The statistics table of tongxiang-table, as rows of cells. */
export const TONGXIANG_ROWS = [
  ['指标', '单位', '绝对值', '比上年增长(%)'],
  ['地区生产总值', '亿元', '1480.5', '6.2'],
  ['规模以上工业增加值', '亿元', '612.3', '8.1'],
  ['社会消费品零售总额', '亿元', '536.8', '7.4'],
  ['城镇居民人均可支配收入', '元', '83520', '4.9'],
  ['农村居民人均可支配收入', '元', '52760', '6.5'],
];
