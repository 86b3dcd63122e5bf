import { assertionsMemo, comparableText, type Comparable } from '../dedup';
import type { StoredText } from './plan';

/**
 * Stored versions made comparable (shingled), kept across batches, least recently used dropped
 * first. A version's text never changes (its content hash is unique and stays), so its shingles
 * are never stale; its title and metrics are refreshed when its own page is parsed again (a parser
 * fix), so those are taken from the row the batch has just read. Verifying LSH candidates is most
 * of the indexer's CPU, and the same stored versions are candidates of many incoming texts
 * (templated pages share wording), so a worker keeps one of these for its life. About 50 KB per
 * entry for a 2,000-character text.
 */
export class ComparableCache {
  private readonly entries = new Map<number, Comparable>();

  constructor(private readonly maxEntries = 1000) {}

  /** The version as `t`, the row just read, states it: shingled once, its title and facts as read. */
  get(t: StoredText): Comparable {
    const hit = this.entries.get(t.id);
    const c =
      hit === undefined
        ? comparableText(t)
        : {
            ...hit,
            title: t.title,
            metrics: t.metrics,
            // The guard's assertions read the title with the text.
            assertions: hit.title === t.title ? hit.assertions : assertionsMemo(t),
          };
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
