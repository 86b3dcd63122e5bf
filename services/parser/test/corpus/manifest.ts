import { readFileSync } from 'node:fs';

/** One page of the corpus and what parsing it must give. */
export interface CorpusEntry {
  id: string;
  /** The page's bytes, under pages/. */
  file: string;
  /** What kind of page: the template it was rendered in, seed-*, or bad-input. */
  kind: string;
  /** The Content-Type a server sends with it. */
  contentType: string;
  /** The charset the bytes really are in (Readability, which takes text, is given it). */
  charset: string;
  expect: {
    /** A parse that must fail, with this PermanentError code. */
    error?: string;
    title?: string;
    /** undefined: not checked; null: no date may be reported. */
    publishedAt?: string | null;
    source?: string;
    language?: string;
    /** Passages the clean text must contain. */
    must: string[];
    /** Text that must not appear anywhere in the clean text. */
    mustNot: string[];
    /** Text that must not stand as a paragraph of its own (a caption that is also a word of the body). */
    mustNotParagraph?: string[];
  };
}

const HERE = new URL('./', import.meta.url);

export function loadCorpus(): CorpusEntry[] {
  return JSON.parse(readFileSync(new URL('corpus.json', HERE), 'utf8')) as CorpusEntry[];
}

export function pageBytes(e: CorpusEntry): Buffer {
  return readFileSync(new URL(`pages/${e.file}`, HERE));
}

/** The checks of one parse against its expectation: how many, and which failed. */
export function checkPage(
  e: CorpusEntry,
  out: { text: string; paragraphs: string[] },
): { total: number; failed: string[] } {
  const failed: string[] = [];
  const { must, mustNot, mustNotParagraph = [] } = e.expect;
  for (const m of must) if (!out.text.includes(m)) failed.push(`missing: ${m}`);
  for (const m of mustNot) if (out.text.includes(m)) failed.push(`not removed: ${m}`);
  for (const m of mustNotParagraph)
    if (out.paragraphs.includes(m)) failed.push(`paragraph not removed: ${m}`);
  return { total: must.length + mustNot.length + mustNotParagraph.length, failed };
}
