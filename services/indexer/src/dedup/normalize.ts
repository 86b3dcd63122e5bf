import { sha256Hex } from '@govwire/shared';

/**
 * The exact-duplicate key: two pages whose simplified text differs only in width, case, spacing or
 * punctuation style are the same text. Figures keep their decimal point and percent sign (4.5% is
 * not 45), and thousands separators go (28,200 = 28200).
 */
export function normalizeForHash(textSimplified: string): string {
  return (
    textSimplified
      .normalize('NFKC')
      .toLowerCase()
      // Thousands separators inside numbers: 28,200 → 28200.
      .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
      // A decimal point between digits is part of the figure; mark it before punctuation goes.
      .replace(/(\d)\.(?=\d)/g, '$1\u0001')
      .replace(/[\s\p{P}\p{S}]+/gu, (m) => (m.includes('%') ? '%' : ''))
      .replace(/\u0001/g, '.')
  );
}

/** sha256 of the normalized simplified text. */
export function exactContentHash(textSimplified: string): string {
  return sha256Hex(normalizeForHash(textSimplified));
}
