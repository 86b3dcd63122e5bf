import {
  indexJobId,
  PermanentError,
  parsedArticleSchema,
  type Enqueue,
  type Handler,
  type PageRef,
  type pagesRepo,
} from '@govwire/shared';
import type { ParseInput, ParseResult } from '../parse';
import type { HostTermMemory } from '../state/host-terms';

export interface ParsePageDeps {
  enqueue: Enqueue;
  /** The stored bytes and headers the job's page reference points at (Postgres `pages`). */
  loadPage: (ref: PageRef) => Promise<pagesRepo.StoredPageBody>;
  /** parseDocument, run where the service chooses (a worker thread: see parse-pool.ts). */
  parse: (input: ParseInput) => Promise<ParseResult>;
  /** The operators' spam terms (Postgres, cached). */
  spamTerms: () => Promise<string[]>;
  hostTerms?: HostTermMemory;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * `parse-page`: the stored page (the bytes as they came off the wire) → a clean article →
 * `index-article`. The index job's id derives from the content hash and the final URL, so a replay
 * enqueues nothing new. Binary input, pages with no article, and a page row that is gone fail
 * permanently (they never will parse).
 */
export function parsePageHandler(deps: ParsePageDeps): Handler<'parse-page'> {
  return async (data, ctx) => {
    const { page } = data;
    const { bytes, headers } = await deps.loadPage(page);
    const host = hostOf(page.finalUrl) ?? hostOf(page.url);
    const [operatorTerms, hostTerms] = await Promise.all([
      deps.spamTerms(),
      host && deps.hostTerms ? deps.hostTerms.confirmed(host) : Promise.resolve([]),
    ]);
    const result = await deps.parse({
      bytes,
      headers,
      url: page.finalUrl,
      charsetOverride: page.charsetOverride,
      extraSpamTerms: [...operatorTerms, ...hostTerms],
    });
    if (host && deps.hostTerms && result.discoveredTerms.length > 0) {
      await deps.hostTerms.record(host, page.contentHash, result.discoveredTerms);
    }
    // The same bytes always give the same article: a contract violation will not fix itself on retry.
    const checked = parsedArticleSchema.safeParse(result);
    if (!checked.success) {
      const problems = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
      throw new PermanentError(
        'invalid_article',
        `parsed article breaks the contract: ${problems.join('; ')}`,
      );
    }
    const article = checked.data;
    const jobId = indexJobId(page, data.reparseRun);
    await deps.enqueue('index-article', { article, page }, { jobId });
    ctx.log.info(
      {
        title: article.title,
        paragraphs: article.paragraphs.length,
        chars: article.text.length,
        removed: {
          boilerplate: article.removed.boilerplate.length,
          spamLinks: article.removed.spamLinks.length,
          spamTerms: article.removed.spamTerms.length,
        },
        warnings: article.warnings.length,
        metrics: article.metrics.length,
      },
      'page parsed',
    );
    return { jobId, title: article.title, chars: article.text.length };
  };
}
