import { pagesRepo, type Db, type Handler } from '@govwire/shared';
import { indexArticle, type IndexOptions, type IndexResult } from '../index-article';

export interface IndexArticleDeps {
  db: Db;
  options?: Omit<IndexOptions, 'log'>;
}

/** `index-article`: one parsed article into the deduplicated record, in one transaction. */
export function indexArticleHandler(deps: IndexArticleDeps): Handler<'index-article'> {
  return async (data, ctx): Promise<IndexResult> => {
    const result = await indexArticle(deps.db, data.article, data.page, { ...deps.options, log: ctx.log });
    // After the commit: a crash in between leaves the page without an outcome, and the reconcile
    // sweep re-queues it; indexing again is a no-op.
    await pagesRepo.setParseOutcome(deps.db, [data.page.pageId], 'article');
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
