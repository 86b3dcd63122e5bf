/**
 * What a regular expression cannot match without: a set of pieces (one or two UTF-16 code units)
 * such that every match contains at least one of them, or null when the pattern does not tell.
 *
 * Used to skip phrase rules cheaply: one scan of a block says which rules can match at all, and
 * only those regexes run (most blocks contain none of, say, `免责 版权 转载 未经 仅代 不代`).
 * The analysis only has to be sound, never complete: whatever it does not understand (classes
 * like `\s`, `.`, lookarounds, backreferences, odd braces) gives nothing, and a rule with
 * nothing is always tested.
 *
 * How: a sequence needs every atom that must occur at least once (no `?`, `*`, `{0,…}`), and two
 * such literal characters in a row need their pair, so any one of those will do (the most
 * selective is kept: pairs before single characters, a space only as a last resort); an
 * alternation needs the union of its alternatives' sets, and is unknown if any alternative is.
 * Literals give themselves (both ASCII cases with the `i` flag; other characters with a case
 * mapping give up). Patterns are read as non-Unicode (no `u` flag, as the rules are compiled),
 * code unit by code unit.
 */
export function requiredChars(re: RegExp): Set<string> | null {
  // Unicode mode reads code points and folds case differently: not handled.
  if (re.unicode || re.flags.includes('v')) return null;
  try {
    const p = new Reader(re.source, re.ignoreCase);
    const set = p.alternation();
    return p.pos === re.source.length ? set : null;
  } catch {
    return null;
  }
}

/**
 * How many blocks a set of pieces lets through, roughly: a pair is far rarer than a character,
 * and a space is in nearly every block.
 */
function weight(set: Set<string>): number {
  let w = 0;
  for (const piece of set) w += piece.length === 2 ? (piece.includes(' ') ? 50 : 1) : piece === ' ' ? 1000 : 20;
  return w;
}
const units = (set: Set<number>): Set<string> => new Set([...set].map((c) => String.fromCharCode(c)));

/** Thrown for syntax the reader does not handle: the whole pattern is then unknown. */
class Unsupported extends Error {}

/** Escapes that stand for one literal character (outside and inside classes). */
const LITERAL_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' };
/** Escapes that stand for a class of characters or an assertion: no literal to require. */
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B']);

class Reader {
  pos = 0;
  /** The code units the last atom read matches when it is one literal character, else null. */
  private literalUnits: Set<number> | null = null;
  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
  ) {}

  /** alternatives separated by `|`, up to a `)` or the end. */
  alternation(): Set<string> | null {
    const sets = [this.sequence()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      sets.push(this.sequence());
    }
    if (sets.some((s) => s === null)) return null;
    const union = new Set<string>();
    for (const s of sets) for (const c of s!) union.add(c);
    return union;
  }

  /** Atoms and their quantifiers, up to a `|`, a `)` or the end. */
  private sequence(): Set<string> | null {
    let best: Set<string> | null = null;
    const consider = (set: Set<string>) => {
      if (best === null || weight(set) < weight(best)) best = set;
    };
    // The previous atom, when it is a literal character that must occur: with this one, a pair.
    let prev: Set<number> | null = null;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || c === '|' || c === ')') return best;
      this.literalUnits = null;
      const set = this.atom();
      const literal = this.literalUnits as Set<number> | null;
      const mandatory = this.quantifier();
      if (mandatory && set) consider(set);
      // `ab`, `a+b`, `ab+`: the last `a` and the first `b` stand side by side.
      if (mandatory && literal && prev) {
        const pairs = new Set<string>();
        for (const a of prev) for (const b of literal) pairs.add(String.fromCharCode(a, b));
        consider(pairs);
      }
      prev = mandatory ? literal : null;
    }
  }

  /** Reads a quantifier if there is one; whether the atom before it must occur at least once. */
  private quantifier(): boolean {
    const c = this.src[this.pos];
    let min = 1;
    if (c === '?' || c === '*' || c === '+') {
      this.pos++;
      min = c === '+' ? 1 : 0;
    } else if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(this.src.slice(this.pos));
      // A brace that is not a quantifier is a literal in non-Unicode patterns: not worth the risk.
      if (!m) throw new Unsupported();
      this.pos += m[0].length;
      min = Number(m[1]);
    } else {
      return true;
    }
    if (this.src[this.pos] === '?') this.pos++; // lazy
    return min >= 1;
  }

  /** One atom; its required characters (null: none known, or a zero-width assertion). */
  private atom(): Set<string> | null {
    const c = this.src[this.pos]!;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '\\': {
        this.pos++;
        const e = this.src[this.pos];
        if (e === undefined) throw new Unsupported();
        this.pos++;
        const lit = this.escapedLiteral(e);
        return lit === null ? null : this.literal(lit);
      }
      case '.':
      case '^':
      case '$':
        this.pos++;
        return null;
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
        throw new Unsupported();
      default:
        this.pos++;
        return this.literal(c.charCodeAt(0));
    }
  }

  /** `(…)`, `(?:…)`, `(?<name>…)`: their contents; lookarounds: nothing (zero width). */
  private group(): Set<string> | null {
    this.pos++;
    let lookaround = false;
    if (this.src[this.pos] === '?') {
      const rest = this.src.slice(this.pos, this.pos + 3);
      if (rest.startsWith('?:')) this.pos += 2;
      else if (rest.startsWith('?=') || rest.startsWith('?!')) {
        this.pos += 2;
        lookaround = true;
      } else if (rest === '?<=' || rest === '?<!') {
        this.pos += 3;
        lookaround = true;
      } else if (rest.startsWith('?<')) {
        const end = this.src.indexOf('>', this.pos);
        if (end < 0) throw new Unsupported();
        this.pos = end + 1;
      } else throw new Unsupported();
    }
    const set = this.alternation();
    if (this.src[this.pos] !== ')') throw new Unsupported();
    this.pos++;
    this.literalUnits = null; // a group is not one literal character, whatever it ends with
    return lookaround ? null : set;
  }

  /** `[…]`: its members when they are all literal characters or small ranges; negated: nothing. */
  private charClass(): Set<string> | null {
    this.pos++;
    let known = this.src[this.pos] !== '^';
    if (!known) this.pos++;
    const set = new Set<number>();
    // In JavaScript `]` always closes a class (`[]` is an empty class, `[^]` any character).
    while (this.src[this.pos] !== ']') {
      if (this.pos >= this.src.length) throw new Unsupported();
      const lo = this.classMember();
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.pos + 1 < this.src.length) {
        this.pos++;
        const hi = this.classMember();
        if (lo === null || hi === null || hi < lo) throw new Unsupported();
        // Wide ranges (`\u4e00-\u9fff`) would require half the page's characters: no help.
        if (hi - lo > 128) known = false;
        for (let k = lo; known && k <= hi; k++) if (!this.addLiteral(set, k)) known = false;
      } else if (lo === null || !this.addLiteral(set, lo)) known = false;
    }
    this.pos++;
    return known && set.size > 0 ? units(set) : null;
  }

  /** One member of a class: its code unit, or null for a class escape (`\d`, `\s`, …). */
  private classMember(): number | null {
    const c = this.src[this.pos]!;
    this.pos++;
    if (c !== '\\') return c.charCodeAt(0);
    const e = this.src[this.pos];
    if (e === undefined) throw new Unsupported();
    this.pos++;
    // Inside a class `\b` is a backspace; treating it as unknown is merely conservative.
    return this.escapedLiteral(e);
  }

  /** The code unit an escape stands for, or null when it is a class, an assertion or a reference. */
  private escapedLiteral(e: string): number | null {
    if (e in LITERAL_ESCAPES) return LITERAL_ESCAPES[e]!.charCodeAt(0);
    if (CLASS_ESCAPES.has(e)) return null;
    if (e === 'u') {
      const hex = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.pos));
      if (!hex) throw new Unsupported();
      this.pos += 4;
      return parseInt(hex[0], 16);
    }
    // Digits (backreferences, octal), \k<name>, \p{…}, \x, \c, \0: not worth reading.
    if (/[0-9a-zA-Z]/.test(e)) throw new Unsupported();
    return e.charCodeAt(0); // an escaped punctuation mark stands for itself
  }

  private literal(code: number): Set<string> | null {
    const set = new Set<number>();
    if (!this.addLiteral(set, code)) return null;
    this.literalUnits = set;
    return units(set);
  }

  /** Adds a literal and, with `i`, its other ASCII case; false for a non-ASCII cased character. */
  private addLiteral(set: Set<number>, code: number): boolean {
    set.add(code);
    if (!this.ignoreCase) return true;
    const ch = String.fromCharCode(code);
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower === ch && upper === ch) return true;
    if (code >= 0x80) return false;
    // Without the `u` flag, an ASCII letter matches its two ASCII cases only (a non-ASCII
    // character never folds to ASCII), so both cases are all there is.
    set.add(lower.charCodeAt(0));
    set.add(upper.charCodeAt(0));
    return true;
  }
}

const SLOT_MASK = 0x3fff;
const PAIR_START = 0x4000;
const PAIR_END = 0x8000;

/**
 * For a list of regexes: which of them can match a given text, by one scan of its characters.
 * `scan` marks the rules whose required pieces occur; `mayMatch` then says whether rule `i`
 * needs testing (always, for a rule whose pattern gives no required pieces).
 */
export class RequiredCharIndex {
  /**
   * Per code unit, one read per character: its slot (the low bits: 0, or 1 + the index in
   * `rulesOf` of the rules it is required by), and whether some required pair starts or ends with
   * it (then, and only then, the pair is looked up in `pairSlot`, by both units).
   */
  private readonly unitInfo = new Uint16Array(65536);
  private readonly pairSlot = new Map<number, number>();
  private readonly rulesOf: number[][] = [];
  private readonly always: boolean[] = [];
  /** rule -> the scan that last found it possible; slot -> the scan that last saw it. */
  private readonly ruleSeen: Uint32Array;
  private readonly slotSeen: Uint32Array;
  private round = 0;
  private readonly anyAlways: boolean;
  /** Whether the last scan marked any rule (or some rule is always tested). */
  private marked = false;

  constructor(patterns: RegExp[]) {
    const byPiece = new Map<string, number[]>();
    patterns.forEach((re, i) => {
      const pieces = requiredChars(re);
      this.always.push(pieces === null);
      for (const p of pieces ?? []) {
        const list = byPiece.get(p);
        if (list) list.push(i);
        else byPiece.set(p, [i]);
      }
    });
    // Pieces required by the same rules share one list.
    const listIndex = new Map<string, number>();
    for (const [piece, list] of byPiece) {
      const key = list.join(',');
      let idx = listIndex.get(key);
      if (idx === undefined) {
        idx = this.rulesOf.length;
        this.rulesOf.push(list);
        listIndex.set(key, idx);
      }
      if (idx + 1 > SLOT_MASK) throw new Error('too many distinct rule sets for the index');
      const a = piece.charCodeAt(0);
      if (piece.length === 1) this.unitInfo[a]! |= idx + 1;
      else {
        const b = piece.charCodeAt(1);
        this.unitInfo[a]! |= PAIR_START;
        this.unitInfo[b]! |= PAIR_END;
        this.pairSlot.set(a * 65536 + b, idx + 1);
      }
    }
    this.ruleSeen = new Uint32Array(patterns.length);
    this.slotSeen = new Uint32Array(this.rulesOf.length + 1);
    this.anyAlways = this.always.includes(true);
  }

  /** Marks the rules whose required pieces occur in `text`; returns the scan's number. */
  scan(text: string): number {
    if (this.round === 0xffffffff) {
      this.ruleSeen.fill(0);
      this.slotSeen.fill(0);
      this.round = 0;
    }
    const round = ++this.round;
    this.marked = this.anyAlways;
    const n = text.length;
    const info = this.unitInfo;
    let cur = n > 0 ? info[text.charCodeAt(0)]! : 0;
    for (let i = 0; i < n; i++) {
      const next = i + 1 < n ? info[text.charCodeAt(i + 1)]! : 0;
      if (cur !== 0) {
        if ((cur & SLOT_MASK) !== 0) this.mark(cur & SLOT_MASK, round);
        if ((cur & PAIR_START) !== 0 && (next & PAIR_END) !== 0) {
          const pair = this.pairSlot.get(text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1));
          if (pair !== undefined) this.mark(pair, round);
        }
      }
      cur = next;
    }
    return round;
  }

  private mark(slot: number, round: number): void {
    if (this.slotSeen[slot] === round) return;
    this.slotSeen[slot] = round;
    this.marked = true;
    for (const r of this.rulesOf[slot - 1]!) this.ruleSeen[r] = round;
  }

  /** Whether any rule can match the text of the last scan: most blocks let none through. */
  get anyPossible(): boolean {
    return this.marked;
  }

  /** Whether rule `i` can match the text of scan `round`. */
  mayMatch(i: number, round: number): boolean {
    return this.always[i]! || this.ruleSeen[i] === round;
  }
}
