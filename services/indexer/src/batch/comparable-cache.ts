import { LRUCache } from 'lru-cache';
import {
  assertionsOf,
  comparableText,
  guardedText,
  SEGMENTS,
  shingles,
  type Assertion,
  type Comparable,
  type MergeGuard,
  type ShingleSets,
} from '../dedup';
import type { StoredText } from './plan';

/**
 * What the cache keeps of a stored version: its shingles, and its assertions once the guard has
 * read them. Not its text, title or facts: the batch reads those with the candidate anyway (a
 * refresh may have changed the title and facts), and keeping them made an entry five times larger.
 */
interface Entry {
  shingles: ShingleSets;
  /** The assertions of the version as titled `title`, read by `guard`. */
  read?: { title: string; guard: MergeGuard; assertions: readonly Assertion[] };
}

/**
 * Bytes an entry holds, as measured on the heap: 4 per shingle, about 500 for the entry itself
 * (its arrays, its map slot) and about 220 per assertion (69 of them took 15 KB).
 */
const ASSERTION_BYTES = 220;
const ENTRY_OVERHEAD_BYTES = 500;

function entryBytes(e: Entry): number {
  let bytes = ENTRY_OVERHEAD_BYTES;
  for (const s of SEGMENTS) bytes += e.shingles[s].byteLength;
  return bytes + (e.read?.assertions.length ?? 0) * ASSERTION_BYTES;
}

/**
 * Stored versions made comparable (shingled), kept across batches, least recently used dropped
 * first once they hold `maxBytes`. A version's text never changes (its content hash is unique and
 * stays), so its shingles are never stale. Verifying LSH candidates is most of the indexer's CPU,
 * and the same stored versions are candidates of many incoming texts (templated pages share
 * wording), so a worker keeps one of these for its life. With a thousand entries, 72 to 80% of
 * look-ups missed in a 30k reparse (a candidate is often older than the last thousand versions);
 * an entry is about 3.5 KB for a 900-character text (18 KB when it also kept the text, its facts
 * and its assertions), so 256 MB holds some 70,000.
 */
export class ComparableCache {
  private readonly entries: LRUCache<number, Entry>;

  /** `maxBytes` 0 keeps nothing: every entry is larger than the cache and is not stored. */
  constructor(maxBytes = 256 * 1024 * 1024) {
    this.entries = new LRUCache({ maxSize: Math.max(1, maxBytes), sizeCalculation: entryBytes });
  }

  /** The version as `t`, the row just read, states it: shingled once, its title and facts as read. */
  get(t: StoredText): Comparable {
    const entry = this.entries.get(t.id) ?? this.shingle(t);
    return comparableText(t, {
      shingles: entry.shingles,
      assertions: (guard) => this.assertionsOf(t, entry, guard),
    });
  }

  private shingle(t: StoredText): Entry {
    const entry = { shingles: shingles(t.textSimplified) };
    this.entries.set(t.id, entry);
    return entry;
  }

  /** The guard's assertions read once per version and title (they read the title with the text). */
  private assertionsOf(t: StoredText, shingled: Entry, guard: MergeGuard): readonly Assertion[] {
    const entry = this.entries.peek(t.id) ?? shingled;
    if (entry.read?.guard === guard && entry.read.title === t.title) return entry.read.assertions;
    const assertions = assertionsOf(guard, guardedText(t));
    // A new entry, not the old one changed: the cache counts an entry's size when it is set.
    this.entries.set(t.id, { shingles: entry.shingles, read: { title: t.title, guard, assertions } });
    return assertions;
  }

  /**
   * A version this worker has just stored, as it already shingled it: the texts indexed last are
   * the likeliest candidates of the next ones (copies travel together), and were shingled again
   * when they came back as candidates. A rolled-back version's id is never reused, so its entry
   * is never read.
   */
  has(versionId: number): boolean {
    return this.entries.has(versionId);
  }

  remember(versionId: number, c: Pick<Comparable, 'shingles'>): void {
    this.entries.set(versionId, { shingles: c.shingles });
  }
}
