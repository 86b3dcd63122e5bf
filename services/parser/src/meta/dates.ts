import { parseChineseInteger } from '@govwire/shared/chinese-numerals';

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
function iso(y: number, m: number, d: number): string | null {
  if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The first full date in a string, in Chinese, ISO, slashed or English form → `YYYY-MM-DD`. */
export function findDate(s: string): string | null {
  const patterns: Array<[RegExp, (m: RegExpExecArray) => string | null]> = [
    [/(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?/, (m) => iso(+m[1]!, +m[2]!, +m[3]!)],
    [/(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/, (m) => iso(+m[1]!, +m[2]!, +m[3]!)],
    [
      /([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日/,
      (m) => {
        // 二〇二二 reads digit by digit, 十二 and 三十一 as numerals; iso() rejects what is no date.
        const y = parseChineseInteger(m[1]!);
        const mo = parseChineseInteger(m[2]!);
        const d = parseChineseInteger(m[3]!);
        return y && mo && d ? iso(y, mo, d) : null;
      },
    ],
    [
      /\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/i,
      (m) => iso(+m[3]!, MONTHS[m[1]!.toLowerCase()]!, +m[2]!),
    ],
    [
      /\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b/i,
      (m) => iso(+m[3]!, MONTHS[m[2]!.toLowerCase()]!, +m[1]!),
    ],
    [/^(\d{4})(\d{2})(\d{2})(?:\d{4,6})?$/, (m) => iso(+m[1]!, +m[2]!, +m[3]!)],
  ];
  for (const [re, conv] of patterns) {
    const m = re.exec(s);
    if (m) {
      const v = conv(m);
      if (v) return v;
    }
  }
  return null;
}

/** Meta tags that carry a publication date, most specific first. */
export const DATE_META_KEYS = [
  'article:published_time',
  'og:published_time',
  'og:article:published_time',
  'pubdate',
  'publishdate',
  'publish_date',
  'publishtime',
  'firstpublishedtime',
  'dc.date.issued',
  'dc.date',
  'dcterms.issued',
  'dcterms.created',
  'date',
  'sailing.date',
  'weibo:article:create_at',
  'article:modified_time',
];
