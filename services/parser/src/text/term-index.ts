/**
 * The one prefilter index of the parser: a list of terms (spam terms, indicator phrases, region
 * names), each at least two UTF-16 code units long, found in a text in one pass.
 *
 * Terms are bucketed by their first two code units; a position whose first unit starts no term is
 * rejected by one bit-table read, the rest by one Map look-up and a `startsWith` per term of the
 * bucket (longest first). English phrases, which need word boundaries and case folding, are found
 * by the regex engine instead: one alternation of every term.
 */

/** A term found in a text at [start, end). */
export interface TermMatch<E> {
  start: number;
  end: number;
  phrase: E;
}

export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export class TermIndex<E extends { text: string }> {
  /** Terms by their first two code units (`a * 65536 + b`), longest first; one per text. */
  private readonly byPrefix = new Map<number, E[]>();
  /** 1 where some term starts with that code unit. */
  private readonly firstUnits = new Uint8Array(65536);
  /** Every term, longest first, as a regex alternation that must start and end at a word boundary. */
  private readonly words: RegExp | null;
  readonly size: number;

  constructor(terms: readonly E[]) {
    const seen = new Set<string>();
    for (const t of terms) {
      if (t.text.length < 2) throw new Error(`term "${t.text}" is shorter than two code units`);
      if (seen.has(t.text)) continue;
      seen.add(t.text);
      const key = t.text.charCodeAt(0) * 65536 + t.text.charCodeAt(1);
      const list = this.byPrefix.get(key);
      if (list) list.push(t);
      else this.byPrefix.set(key, [t]);
      this.firstUnits[t.text.charCodeAt(0)] = 1;
    }
    for (const list of this.byPrefix.values()) list.sort((a, b) => b.text.length - a.text.length);
    this.size = seen.size;
    const longestFirst = [...seen].sort((a, b) => b.length - a.length);
    this.words =
      longestFirst.length > 0
        ? new RegExp(`(?<![0-9A-Za-z])(?:${longestFirst.map(escapeRegex).join('|')})(?![0-9A-Za-z])`, 'gi')
        : null;
  }

  /** Every term, once. */
  terms(): E[] {
    return [...this.byPrefix.values()].flat();
  }

  /** The terms sharing the first two code units at `i` (longest first), or undefined. */
  private bucketAt(text: string, i: number): readonly E[] | undefined {
    if (i + 1 >= text.length || this.firstUnits[text.charCodeAt(i)] === 0) return undefined;
    return this.byPrefix.get(text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1));
  }

  /** The longest term starting at `i`, or undefined. */
  private longestAt(text: string, i: number): E | undefined {
    const bucket = this.bucketAt(text, i);
    if (bucket) for (const t of bucket) if (text.startsWith(t.text, i)) return t;
    return undefined;
  }

  /** Non-overlapping matches, leftmost-longest. */
  findAll(text: string): TermMatch<E>[] {
    const out: TermMatch<E>[] = [];
    for (let i = 0; i + 1 < text.length;) {
      const longest = this.longestAt(text, i);
      if (longest) {
        out.push({ start: i, end: i + longest.text.length, phrase: longest });
        i += longest.text.length;
      } else i++;
    }
    return out;
  }

  /** Every term that occurs somewhere in the texts (overlaps included), in the index's order of first sight. */
  occurring(texts: readonly string[]): Set<E> {
    const found = new Set<E>();
    for (const text of texts) {
      for (let i = 0; i + 1 < text.length; i++) {
        const bucket = this.bucketAt(text, i);
        if (bucket) for (const t of bucket) if (text.startsWith(t.text, i)) found.add(t);
      }
      if (found.size === this.size) break;
    }
    return found;
  }

  /**
   * English: non-overlapping matches, leftmost-longest, case-insensitive, that touch no letter or
   * digit on either side. Terms are given in lower case.
   */
  findAllWords(text: string): TermMatch<E>[] {
    const out: TermMatch<E>[] = [];
    if (this.words === null || !/[A-Za-z]/.test(text)) return out;
    const re = this.words;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const term = this.byText(m[0].toLowerCase());
      if (term) out.push({ start: m.index, end: m.index + m[0].length, phrase: term });
    }
    return out;
  }

  private byText(text: string): E | undefined {
    if (text.length < 2) return undefined;
    return this.byPrefix.get(text.charCodeAt(0) * 65536 + text.charCodeAt(1))?.find((t) => t.text === text);
  }
}
