import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createParserContext, parseDocument, type ParserContext } from '@govwire/parser';
import { parsedArticleSchema, type ParsedArticle } from '@govwire/shared';
import { z } from 'zod';
import type { IndexItem } from '../../src/index-article';
import { SEEDS_DIR } from '../fixtures/seed-articles';

/**
 * The templated corpus (see README.md here): reports from two templates across counties, months
 * and issues, each its own article, with the copies that must join them. Every file goes through
 * the real parser, as `pnpm ingest` would send it, so the indexer sees what it sees in production.
 */
export const CORPUS_DIR = path.dirname(fileURLToPath(import.meta.url));

const manifestSchema = z.object({
  items: z
    .array(
      z.object({
        file: z.string().min(1),
        /** The article this text must be stored as: written by hand, never computed. */
        article: z.string().min(1),
        kind: z.enum([
          'template',
          'seed',
          'credit',
          'dropped-paragraph',
          'english-half',
          'traditional',
          'mirror',
        ]),
      }),
    )
    .min(1),
});

export type CorpusKind = z.infer<typeof manifestSchema>['items'][number]['kind'];

export interface CorpusItem extends IndexItem {
  file: string;
  expectedArticle: string;
  kind: CorpusKind;
}

function bytesOf(file: string): Buffer {
  return file.startsWith('seeds/')
    ? readFileSync(path.join(SEEDS_DIR, file.slice('seeds/'.length)))
    : readFileSync(path.join(CORPUS_DIR, file));
}

/** Every item of the manifest, parsed, with the page a crawler would have fetched it from. */
export function loadCorpus(parser: ParserContext = createParserContext()): CorpusItem[] {
  const manifest = manifestSchema.parse(
    JSON.parse(readFileSync(path.join(CORPUS_DIR, 'manifest.json'), 'utf8')),
  );
  return manifest.items.map((item) => {
    const bytes = bytesOf(item.file);
    const article: ParsedArticle = parsedArticleSchema.parse(parseDocument(parser, { bytes }));
    return {
      file: item.file,
      expectedArticle: item.article,
      kind: item.kind,
      article,
      page: countyPortalPage(item.file.replace(/\.txt$/, '.html'), bytes, 'templated-corpus'),
    };
  });
}

/** How many articles the corpus must leave: one per name the manifest gives. */
export function expectedArticleCount(items: readonly CorpusItem[]): number {
  return new Set(items.map((i) => i.expectedArticle)).size;
}

/** The page a crawler would have fetched a corpus text from: `path` on a county portal. */
export function countyPortalPage(path: string, bytes: Uint8Array, sourceId: string): IndexItem['page'] {
  const url = `https://county-portal.example/${path}`;
  return {
    url,
    finalUrl: url,
    sourceId,
    crawlId: null,
    pageId: null,
    fetchedAt: '2026-12-01T08:00:00.000Z',
    status: 200,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
    charsetOverride: null,
  };
}
