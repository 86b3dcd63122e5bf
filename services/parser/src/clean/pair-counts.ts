/**
 * Tables handed back by `release()`, one per size: allocating a page-sized typed array (and
 * touching its fresh memory) cost more than the counting itself (~15 us for 32 KB); clearing a
 * used one costs a memset.
 */
const spare = new Map<number, Int32Array>();
/** Larger tables (a 10 MB page's) are left to the garbage collector rather than kept. */
const MAX_SPARE_LENGTH = 1 << 17;

/**
 * Counts of Han character pairs, each pair a small integer key (< 2^30: two 15-bit indexes), in an
 * open-addressing hash table in one typed array (slot i: key + 1 at 2i, 0 marking an empty slot,
 * and its count at 2i + 1): a page has thousands of distinct pairs, and a Map or Set paid an entry
 * and a hash lookup per character. Used for the spam-term bigrams and for the topical features of
 * list items.
 */
export class PairCounts {
  private table: Int32Array;
  /** 32 - log2(slot count): the slot is the top bits of the multiplicative hash. */
  private shift: number;
  private count = 0;

  /** `expected`: about how many pairs will be added (a text has at most one per character). */
  constructor(expected: number) {
    let bits = 4;
    while (1 << bits < expected * 2 && bits < 20) bits++;
    this.table = take(2 << bits);
    this.shift = 32 - bits;
  }

  /** The slot's index in the table (always even). */
  private slot(key: number): number {
    const mask = this.table.length - 2;
    // The top bits of the product mix every bit of the key; its low bits depend only on the key's
    // low bits (the pair's second character), which piled every pair ending in `的` into one chain.
    let i = (Math.imul(key, 0x9e3779b1) >>> this.shift) * 2;
    while (this.table[i] !== 0 && this.table[i] !== key + 1) i = (i + 2) & mask;
    return i;
  }

  add(key: number): void {
    let i = this.slot(key);
    if (this.table[i] === 0) {
      if ((this.count + 1) * 4 > this.table.length) {
        this.grow();
        i = this.slot(key);
      }
      this.table[i] = key + 1;
      this.count++;
    }
    this.table[i + 1]!++;
  }

  get(key: number): number | undefined {
    const i = this.slot(key);
    return this.table[i] === 0 ? undefined : this.table[i + 1];
  }

  has(key: number): boolean {
    return this.table[this.slot(key)] !== 0;
  }

  /** How many distinct pairs. */
  get size(): number {
    return this.count;
  }

  /** Calls `f` with every distinct pair, in no particular order. */
  forEachKey(f: (key: number) => void): void {
    const t = this.table;
    for (let j = 0; j < t.length; j += 2) if (t[j] !== 0) f(t[j]! - 1);
  }

  /** Hands the table on to the next PairCounts of its size; this one must not be used again. */
  release(): void {
    keep(this.table);
    this.table = new Int32Array(2);
    this.count = 0;
  }

  private grow(): void {
    const old = this.table;
    this.table = take(old.length * 2);
    this.shift--;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j] === 0) continue;
      const i = this.slot(old[j]! - 1);
      this.table[i] = old[j]!;
      this.table[i + 1] = old[j + 1]!;
    }
    keep(old);
  }
}

function keep(table: Int32Array): void {
  if (table.length <= MAX_SPARE_LENGTH) spare.set(table.length, table);
}

/** A zeroed table of `length` entries: a spare one if there is, else a new one. */
function take(length: number): Int32Array {
  const t = spare.get(length);
  if (!t) return new Int32Array(length);
  spare.delete(length);
  return t.fill(0);
}
