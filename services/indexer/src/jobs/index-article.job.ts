import { pagesRepo, type Db, type Handler, type Logger } from '@govwire/shared';
import { createBatcher } from '../batch/batcher';
import { indexArticlesSettled, type IndexItem, type IndexOptions, type IndexResult } from '../index-article';

export interface IndexArticleDeps {
  db: Db;
  options?: Omit<IndexOptions, 'log'>;
  /** Jobs gathered into one transaction (1: each job its own) and how long a batch waits for more. */
  batch?: { maxItems: number; maxWaitMs: number };
  /** For what concerns a whole batch (one item failing it); a job's own lines go to its logger. */
  log?: Logger;
}

/**
 * `index-article`: one parsed article into the deduplicated record. Jobs running at the same time
 * are indexed together in one transaction (see createBatcher); each job awaits its own article's
 * outcome, so it completes, fails (permanent or retried) or is delayed by an outage on its own.
 */
export function indexArticleHandler(deps: IndexArticleDeps): Handler<'index-article'> {
  const batcher = createBatcher<IndexItem, IndexResult>({
    maxItems: deps.batch?.maxItems ?? 1,
    maxWaitMs: deps.batch?.maxWaitMs ?? 0,
    run: (items) => indexBatch(deps, items),
  });
  return async (data, ctx): Promise<IndexResult> => {
    const result = await batcher.submit({ article: data.article, page: data.page });
    ctx.log.info(
      {
        articleId: result.articleId,
        versionId: result.versionId,
        match: result.match,
        similarity: result.similarity,
        changed: result.changed,
      },
      result.created ? 'article created' : `article ${result.match === 'exact' ? 'seen again' : 'merged'}`,
    );
    return result;
  };
}

async function indexBatch(deps: IndexArticleDeps, items: IndexItem[]) {
  const settled = await indexArticlesSettled(deps.db, items, { ...deps.options, log: deps.log });
  const done = items
    .filter((_, i) => settled[i]!.status === 'fulfilled')
    .flatMap((it) => (it.page.pageId === null ? [] : [it.page.pageId]));
  // After the commit: a crash in between leaves the pages without an outcome, and the reconcile
  // sweep re-queues them; indexing again is a no-op.
  await pagesRepo.setParseOutcome(deps.db, done, 'article');
  return settled;
}
