import { readFile } from 'node:fs/promises';
import type { ParsedArticle } from '@govwire/shared/article';
import { UsageError, errorCode, errorMessage } from '@govwire/shared/errors';
import { createParserContext } from '../context';
import { parseDocument } from '../parse';

/**
 * `pnpm --silent parse <file...>`: parses local files (HTML or text, any encoding) with no Redis or
 * Postgres. One file: one JSON object; several: one JSON object per line, each with `file`. A file
 * that cannot be parsed prints `{file, error: {code, message}}` and the exit status is 1 at the end.
 *
 * Start-up matters here (one page, then exit): this imports only the parser and the few shared
 * modules it needs, and the context builds each part on first use, so a binary file never loads a
 * dictionary.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const files = args.filter((a) => !a.startsWith('--'));
  const detail = args.includes('--detail');
  if (files.length === 0) throw new UsageError('usage: pnpm --silent parse [--detail] <file...>');
  const ctx = createParserContext();
  let failed = 0;
  for (const file of files) {
    let out: Record<string, unknown>;
    try {
      const r = parseDocument(ctx, { bytes: await readFile(file) });
      const article: ParsedArticle & { removedDetail?: unknown } = {
        title: r.title,
        publishedAt: r.publishedAt,
        source: r.source,
        canonicalUrl: r.canonicalUrl,
        language: r.language,
        text: r.text,
        textSimplified: r.textSimplified,
        paragraphs: r.paragraphs,
        removed: r.removed,
        warnings: r.warnings,
        metrics: r.metrics,
      };
      if (detail) article.removedDetail = r.removedDetail;
      out = { file, ...article };
    } catch (err) {
      failed++;
      const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not_found' : errorCode(err);
      out = { file, error: { code, message: errorMessage(err) } };
    }
    process.stdout.write(files.length > 1 ? `${JSON.stringify(out)}\n` : `${JSON.stringify(out, null, 2)}\n`);
  }
  return failed > 0 ? 1 : 0;
}

/** A user's mistake prints one line (no stack trace); the status is 2 for usage, 1 otherwise. */
main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = err instanceof UsageError ? 2 : 1;
    console.error(`error: ${errorMessage(err)}`);
  },
);
