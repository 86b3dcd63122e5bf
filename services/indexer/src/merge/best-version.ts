/**
 * The article's body is its most complete version: bilingual over monolingual, then the longer
 * clean text, then the earliest publication date, then the one seen first (so the choice is stable).
 */
export interface VersionSummary {
  id: number;
  isBilingual: boolean;
  cleanChars: number;
  publishedAt: string | null;
  firstSeenAt: Date;
}

export function compareVersions(a: VersionSummary, b: VersionSummary): number {
  if (a.isBilingual !== b.isBilingual) return a.isBilingual ? -1 : 1;
  if (a.cleanChars !== b.cleanChars) return b.cleanChars - a.cleanChars;
  if (a.publishedAt !== b.publishedAt) {
    if (a.publishedAt === null) return 1;
    if (b.publishedAt === null) return -1;
    return a.publishedAt < b.publishedAt ? -1 : 1;
  }
  const t = a.firstSeenAt.getTime() - b.firstSeenAt.getTime();
  if (t !== 0) return t;
  return a.id - b.id;
}

/** Best first. */
export function rankVersions<T extends VersionSummary>(versions: readonly T[]): T[] {
  return [...versions].sort(compareVersions);
}

/** The earliest publication date any version states (a republished copy carries a later one). */
export function earliestPublished(versions: readonly { publishedAt: string | null }[]): string | null {
  let out: string | null = null;
  for (const v of versions)
    if (v.publishedAt !== null && (out === null || v.publishedAt < out)) out = v.publishedAt;
  return out;
}
