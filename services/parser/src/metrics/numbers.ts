/**
 * Number parsing for metric extraction: Arabic numerals with separators and decimals, Chinese
 * numerals (一百二十, 两万三千, 〇), the multipliers 百/千/万/亿/万亿, and English
 * thousand/million/billion/trillion. Values are computed from the decimal digits so that
 * 2.82万 is exactly 28200 (2.82 * 10000 in floating point is 28199.999999999996).
 */
import { CHINESE_DIGITS, parseChineseInteger } from '@govwire/shared/chinese-numerals';

/** Chinese multiplier words and English scale words as powers of ten. */
export const MULTIPLIER_EXPONENTS: Record<string, number> = {
  十: 1,
  百: 2,
  千: 3,
  万: 4,
  亿: 8,
  万亿: 12,
  thousand: 3,
  million: 6,
  billion: 9,
  trillion: 12,
};

/**
 * `digits` (an Arabic decimal such as "2.82" or "28,200") times 10^exponent, computed on the
 * integer digits: exact for integers below 2^53, and otherwise the nearest double to the decimal.
 */
export function scaleDecimal(digits: string, exponent: number): number | null {
  // Most figures are plain digits (1901, 2022): the same product without the replace and the match.
  if (exponent >= 0 && isDigits(digits)) return Number(digits) * 10 ** exponent;
  const plain = digits.replace(/[,，\s]/g, '');
  const m = /^(\d+)(?:\.(\d+))?$/.exec(plain);
  if (!m) return null;
  const intPart = m[1] ?? '';
  const frac = m[2] ?? '';
  const shift = exponent - frac.length;
  const mantissa = Number(intPart + frac);
  if (shift >= 0) return mantissa * 10 ** shift;
  // Division by an exact power of ten rounds once, giving the double nearest the decimal value.
  return mantissa / 10 ** -shift;
}

/** Whether `s` is one or more ASCII digits and nothing else. */
function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
/**
 * A number as written with an optional multiplier: "1901" + "亿" → 190100000000, "2.82" + "万",
 * "五" + "万", "190.1" + "billion", "百" + "亿" → 1e10. Returns null when the core is not a number.
 */
export function numberWithMultiplier(core: string, multiplier: string | null | undefined): number | null {
  const exp = multiplier ? multiplierExponent(multiplier) : 0;
  if (exp === null) return null;
  if (/^\d/.test(core)) return scaleDecimal(core, exp);
  const decimal = /^([〇零一二两三四五六七八九十百千]+)点([〇零一二三四五六七八九]+)$/.exec(core);
  if (decimal) {
    const intPart = parseChineseInteger(decimal[1] ?? '');
    if (intPart === null) return null;
    let frac = '';
    for (const ch of decimal[2] ?? '') frac += String(CHINESE_DIGITS[ch] ?? 0);
    return scaleDecimal(`${intPart}.${frac}`, exp);
  }
  const int = parseChineseInteger(core);
  if (int === null) return null;
  return int * 10 ** exp;
}

function multiplierExponent(m: string): number | null {
  const lower = m.toLowerCase();
  if (lower in MULTIPLIER_EXPONENTS) return MULTIPLIER_EXPONENTS[lower] ?? null;
  // Stacked Chinese multipliers: 千万 = 10^7, 百亿 = 10^10.
  let exp = 0;
  for (const ch of m) {
    const e = MULTIPLIER_EXPONENTS[ch];
    if (e === undefined) return null;
    exp += e;
  }
  return exp;
}

const DIGIT_CHARS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Writes a non-negative integer below 10^16 as a Chinese numeral (for tests and round trips). */
export function formatChineseInteger(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e16) throw new RangeError(`cannot format ${n}`);
  if (n === 0) return '零';
  // 一十五 is written 十五 at the start.
  return formatBelowYi(n).replace(/^一十/, '十');
}

function formatBelowYi(n: number): string {
  if (n >= 1e8) {
    const high = Math.floor(n / 1e8);
    const low = n % 1e8;
    if (low === 0) return `${formatBelowYi(high)}亿`;
    return `${formatBelowYi(high)}亿${low < 1e7 ? '零' : ''}${formatBelowYi(low)}`;
  }
  if (n >= 1e4) {
    const high = Math.floor(n / 1e4);
    const low = n % 1e4;
    if (low === 0) return `${formatSection(high)}万`;
    return `${formatSection(high)}万${low < 1000 ? '零' : ''}${formatSection(low)}`;
  }
  return formatSection(n);
}

function formatSection(g: number): string {
  const units = ['千', '百', '十', ''];
  const digits = [Math.floor(g / 1000), Math.floor(g / 100) % 10, Math.floor(g / 10) % 10, g % 10];
  let out = '';
  let zero = false;
  let started = false;
  for (let i = 0; i < 4; i++) {
    const d = digits[i] ?? 0;
    if (d === 0) {
      if (started) zero = true;
      continue;
    }
    if (zero) out += '零';
    out += (DIGIT_CHARS[d] ?? '') + (units[i] ?? '');
    zero = false;
    started = true;
  }
  return out;
}

const ENGLISH_WORD_NUMBERS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

export const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};

/** Small English cardinals and ordinals (ten, first) and digit ordinals (3rd). */
export function parseEnglishSmallNumber(word: string): number | null {
  const w = word.toLowerCase();
  if (w in ENGLISH_WORD_NUMBERS) return ENGLISH_WORD_NUMBERS[w] ?? null;
  if (w in ORDINALS) return ORDINALS[w] ?? null;
  const m = /^(\d+)(?:st|nd|rd|th)?$/.exec(w);
  return m ? Number(m[1]) : null;
}

/** A rank written in Chinese or Arabic digits: 第四 → 4, 前10 → 10, 第十二 → 12. */
export function parseRankNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  return parseChineseInteger(s);
}

const WORD_UNITS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const WORD_SCALES: Readonly<Record<string, number>> = { thousand: 1e3, million: 1e6, billion: 1e9 };

/** The words of a number written out in English, for matching (alternation, longest first). */
export const ENGLISH_NUMBER_WORDS = [...Object.keys(WORD_UNITS), 'hundred', ...Object.keys(WORD_SCALES)]
  .sort((a, b) => b.length - a.length)
  .join('|');

/**
 * A number written out in English: "twenty-four thousand five hundred" → 24500, "thirteen" → 13.
 * Null when the words do not form one number (two three, thousand thousand).
 */
export function parseEnglishNumberWords(s: string): number | null {
  const words = s
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((w) => w !== '' && w !== 'and');
  let total = 0;
  let group = 0;
  let last: 'unit' | 'ten' | 'hundred' | 'scale' | null = null;
  for (const w of words) {
    const unit = WORD_UNITS[w];
    if (unit !== undefined) {
      // "twenty-six" is fine; "six twenty" or "two three" is not one number.
      if (last === 'unit' || (last === 'ten' && unit >= 10)) return null;
      group += unit;
      last = unit >= 20 ? 'ten' : 'unit';
    } else if (w === 'hundred') {
      if (last !== 'unit' && last !== 'ten') return null;
      group = (group === 0 ? 1 : group) * 100;
      last = 'hundred';
    } else {
      const scale = WORD_SCALES[w];
      if (scale === undefined || group === 0) return null;
      total += group * scale;
      group = 0;
      last = 'scale';
    }
  }
  return words.length === 0 ? null : total + group;
}
