/**
 * Counts of Han character pairs, each pair a small integer key (< 2^30: two 15-bit indexes), in an
 * open-addressing hash table of typed arrays (keys stored + 1 so that 0 marks an empty slot): a
 * page has thousands of distinct pairs, and a Map or Set paid an entry and a hash lookup per
 * character. Used for the spam-term bigrams and for the topical features of list items.
 */
export class PairCounts {
  private keys: Int32Array;
  private counts: Int32Array;
  /** 32 - log2(table size): the slot is the top bits of the multiplicative hash. */
  private shift: number;
  private count = 0;

  /** `expected`: about how many pairs will be added (a text has at most one per character). */
  constructor(expected: number) {
    let bits = 4;
    while (1 << bits < expected * 2 && bits < 20) bits++;
    this.keys = new Int32Array(1 << bits);
    this.counts = new Int32Array(1 << bits);
    this.shift = 32 - bits;
  }

  private slot(key: number): number {
    const mask = this.keys.length - 1;
    // The top bits of the product mix every bit of the key; its low bits depend only on the key's
    // low bits (the pair's second character), which piled every pair ending in `的` into one chain.
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.keys[i] !== 0 && this.keys[i] !== key + 1) i = (i + 1) & mask;
    return i;
  }

  add(key: number): void {
    let i = this.slot(key);
    if (this.keys[i] === 0) {
      if ((this.count + 1) * 2 > this.keys.length) {
        this.grow();
        i = this.slot(key);
      }
      this.keys[i] = key + 1;
      this.count++;
    }
    this.counts[i]!++;
  }

  get(key: number): number | undefined {
    const i = this.slot(key);
    return this.keys[i] === 0 ? undefined : this.counts[i];
  }

  has(key: number): boolean {
    return this.keys[this.slot(key)] !== 0;
  }

  /** How many distinct pairs. */
  get size(): number {
    return this.count;
  }

  /** Calls `f` with every distinct pair, in no particular order. */
  forEachKey(f: (key: number) => void): void {
    for (let j = 0; j < this.keys.length; j++) if (this.keys[j] !== 0) f(this.keys[j]! - 1);
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    this.keys = new Int32Array(oldKeys.length * 2);
    this.counts = new Int32Array(oldKeys.length * 2);
    this.shift--;
    for (let j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] === 0) continue;
      const i = this.slot(oldKeys[j]! - 1);
      this.keys[i] = oldKeys[j]!;
      this.counts[i] = oldCounts[j]!;
    }
  }
}
