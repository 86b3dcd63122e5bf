import type { DbOrTx } from '@govwire/shared';

/** Spam terms operators added in Postgres (`spam_terms`), beside the shipped data file. */
export async function listSpamTerms(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('spam_terms').select('term').execute();
  return rows.map((r) => r.term.trim()).filter((t) => t.length >= 2);
}

export async function addSpamTerm(
  db: DbOrTx,
  term: string,
  addedBy: string,
  note: string | null = null,
): Promise<void> {
  await db
    .insertInto('spam_terms')
    .values({ term: term.trim(), added_by: addedBy, note })
    .onConflict((oc) => oc.column('term').doNothing())
    .execute();
}

/**
 * A short cache in front of the table: every parse needs the list, the list changes rarely, and an
 * operator's addition is live within `ttlMs` without a restart.
 */
export function cachedSpamTerms(
  db: DbOrTx,
  ttlMs = 60_000,
  now: () => number = Date.now,
): () => Promise<string[]> {
  let value: string[] | null = null;
  let loadedAt = 0;
  let inflight: Promise<string[]> | null = null;
  return async () => {
    if (value && now() - loadedAt < ttlMs) return value;
    inflight ??= listSpamTerms(db).then(
      (terms) => {
        value = terms;
        loadedAt = now();
        inflight = null;
        return terms;
      },
      (err: unknown) => {
        inflight = null;
        throw err;
      },
    );
    return inflight;
  };
}
