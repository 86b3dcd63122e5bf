import { comparableText, type Comparable } from '../dedup';
import type { StoredText } from './plan';

/**
 * Stored versions made comparable (shingled), kept across batches, least recently used dropped
 * first. A version's text never changes (its content hash is unique and stays), so an entry is
 * never stale. Verifying LSH candidates is most of the indexer's CPU, and the same stored
 * versions are candidates of many incoming texts (templated pages share wording), so a worker
 * keeps one of these for its life. About 50 KB per entry for a 2,000-character text.
 */
export class ComparableCache {
  private readonly entries = new Map<number, Comparable>();

  constructor(private readonly maxEntries = 1000) {}

  get(t: StoredText): Comparable {
    const hit = this.entries.get(t.id);
    if (hit) {
      this.entries.delete(t.id);
      this.entries.set(t.id, hit);
      return hit;
    }
    const c = comparableText(t);
    this.remember(t.id, c);
    return c;
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

  remember(versionId: number, c: Comparable): void {
    this.entries.delete(versionId);
    this.entries.set(versionId, c);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
