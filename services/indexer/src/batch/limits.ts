import { PermanentError, type ParsedArticle } from '@govwire/shared';

/**
 * What one article may hold. Titles and fact lists are cut to size (the article is still worth
 * having, and the cut is recorded in its warnings); a text over the limit fails the job
 * permanently instead, because a cut text would be stored as if the page said only that, and a
 * multi-megabyte "article" is a page the parser should not have taken for one.
 */
export interface IndexLimits {
  /** Longer titles are cut to this many characters (warning `title_truncated`). */
  maxTitleChars: number;
  /** Longer texts fail as `article_too_large` (the longest government work reports are ~50k). */
  maxTextChars: number;
  /** Further facts are dropped, keeping the first ones (warning `metrics_truncated`). */
  maxMetrics: number;
}

export const DEFAULT_LIMITS: IndexLimits = { maxTitleChars: 1000, maxTextChars: 500_000, maxMetrics: 2000 };

/** The article within the limits, or a PermanentError with a one-line reason. */
export function checkLimits(
  article: ParsedArticle,
  url: string,
  given: Partial<IndexLimits> = {},
): ParsedArticle {
  const limits = { ...DEFAULT_LIMITS, ...given };
  const longest = Math.max(article.text.length, article.textSimplified.length);
  if (longest > limits.maxTextChars)
    throw new PermanentError(
      'article_too_large',
      `article from ${url} has ${longest} characters of text, over the limit of ${limits.maxTextChars}`,
    );
  if (!article.textSimplified.trim())
    throw new PermanentError('empty_article', `article from ${url} has no text`);
  const warnings = [...article.warnings];
  let { title, metrics } = article;
  if (title.length > limits.maxTitleChars) {
    warnings.push(`title_truncated: ${title.length} > ${limits.maxTitleChars} characters`);
    title = Array.from(title).slice(0, limits.maxTitleChars).join('');
  }
  if (metrics.length > limits.maxMetrics) {
    warnings.push(`metrics_truncated: ${metrics.length} > ${limits.maxMetrics} facts, the first kept`);
    metrics = metrics.slice(0, limits.maxMetrics);
  }
  if (warnings.length === article.warnings.length) return article;
  return { ...article, title, metrics, warnings };
}
