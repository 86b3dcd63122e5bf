/**
 * Chinese integer numerals (一百二十, 两万三千, 二〇二四): one reader for the parser's metrics and
 * dates and the indexer's merge guard.
 */

export const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CHINESE_SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * Parses a Chinese numeral integer: 一百二十 → 120, 两万三千 → 23000, 十七 → 17, 一亿零五百万 →
 * 105000000, 八万亿 → 8e12. Returns null when the string is not a well-formed numeral.
 */
export function parseChineseInteger(s: string): number | null {
  if (s === '' || !/^[〇零一二两三四五六七八九十百千万亿]+$/.test(s)) return null;
  // Digit strings such as 二〇二二 (year style) are read digit by digit.
  if (/^[〇零一二两三四五六七八九]{2,}$/.test(s)) {
    let v = 0;
    for (const ch of s) v = v * 10 + (CHINESE_DIGITS[ch] ?? 0);
    return v;
  }
  let total = 0;
  let rest = s;
  // Split on 亿 first, then 万, so 一亿二千万 = 1*10^8 + 2000*10^4.
  const yi = rest.split('亿');
  // 八万亿 splits as [八万, ''], so 万亿 needs no special case; two 亿 is malformed.
  if (yi.length > 2) return null;
  if (yi.length === 2) {
    const high = parseWan(yi[0] ?? '');
    if (high === null) return null;
    total += (yi[0] === '' ? 1 : high) * 1e8;
    rest = yi[1] ?? '';
  }
  const low = parseWan(rest);
  if (low === null) return null;
  return total + low;
}

function parseWan(s: string): number | null {
  if (s === '') return 0;
  const parts = s.split('万');
  if (parts.length > 2) return null;
  if (parts.length === 2) {
    const high = parts[0] === '' ? 1 : parseSection(stripZeros(parts[0] ?? ''));
    const low = parseSection(stripZeros(parts[1] ?? ''));
    if (high === null || low === null) return null;
    return high * 10000 + low;
  }
  return parseSection(stripZeros(s));
}

/** Parses a Chinese integer section below 10000 (e.g. 三千零五, 十七, 两百). */
function parseSection(s: string): number | null {
  if (s === '') return 0;
  let total = 0;
  let digit: number | null = null;
  for (const ch of s) {
    if (ch in CHINESE_DIGITS) {
      if (digit !== null && digit !== 0) {
        // Two digits in a row without a unit (一二) are a digit string, not a numeral.
        return null;
      }
      digit = CHINESE_DIGITS[ch] ?? 0;
    } else if (ch in CHINESE_SMALL_UNITS) {
      const unit = CHINESE_SMALL_UNITS[ch] ?? 1;
      // 十 alone means 10 (十七 = 17).
      total += (digit === null ? 1 : digit) * unit;
      digit = null;
    } else {
      return null;
    }
  }
  if (digit !== null) total += digit;
  return total;
}

/** 零 inside a numeral only marks a gap (一千零五): it carries no value. */
function stripZeros(s: string): string {
  return s.replace(/[〇零](?=.)/g, '');
}
