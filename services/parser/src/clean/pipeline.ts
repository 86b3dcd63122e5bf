import type { ParserContext } from '../context';
import type { Block } from '../extract/block';
import { collapseSpaces } from '../text/chars';
import { removeMarkedCaptions, removeStandaloneCaptions } from './captions';
import { readHead } from './head';
import { live, type Bucket, type Cleaning, type RemovedItem } from './items';
import { joinBrokenParagraphs, type CleanParagraph } from './join';
import { judgeLinkLists, markTextLists } from './link-lists';
import { normalizeBlocks } from './normalize';
import { applyPhraseRules, removeLinkBars } from './phrase-rules';
import { removeTrailingSlogans } from './slogans';
import { removeSpamTerms } from './spam-terms';

export type { Bucket, RemovedItem } from './items';
export type { CleanParagraph } from './join';

export interface CleanResult {
  paragraphs: CleanParagraph[];
  /** A title found in the text itself (first short line), when the caller has none. */
  titleLine: string | null;
  /** The title after spam-term removal (the caller's, or the title line). */
  title: string;
  /** Info lines and bylines taken out near the top: the caller reads date and source from them. */
  infoLines: string[];
  removed: RemovedItem[];
  warnings: string[];
  /** Terms found by generic detection on this page (for the host's recurring-term memory). */
  discoveredTerms: string[];
}

export interface CleanInput {
  blocks: Block[];
  mode: 'html' | 'text';
  /** A title the page declares (HTML): blocks repeating it are dropped. */
  knownTitle?: string | null;
  /** Spam terms beyond the shipped list: Postgres, the host's memory, the caller. */
  extraSpamTerms?: readonly string[];
  /** Words of the page's own tag clouds, keyword lists and sidebars. */
  evidenceTerms?: string[];
}

/**
 * The cleaning steps, shared by HTML blocks and plain-text lines, in order: normalization and
 * inline chrome, phrase rules, captions the page marks, link bars, link lists, the head (title,
 * info lines, bylines), standalone captions, trailing slogans, injected spam terms, then re-joining
 * what layout broke apart. Every removal is recorded with a reason.
 */
export function cleanBlocks(ctx: ParserContext, input: CleanInput): CleanResult {
  const settings = ctx.settings.clean;
  const c: Cleaning = {
    items: [],
    mode: input.mode,
    evidence: [...(input.evidenceTerms ?? [])],
    cuts: [],
    markup: [],
    warnings: [],
  };
  normalizeBlocks(c, input.blocks, ctx.rules);
  markTextLists(c.items);
  applyPhraseRules(c);
  removeMarkedCaptions(c, settings);
  removeLinkBars(c, settings);
  judgeLinkLists(c, settings);
  const markupBucket: Bucket = c.items.some((i) => i.removed?.bucket === 'spamLinks')
    ? 'spamLinks'
    : 'boilerplate';
  c.cuts.push(...c.markup.map((text) => ({ bucket: markupBucket, category: 'markup', text })));
  const head = readHead(c, input.knownTitle ?? null, settings);
  removeStandaloneCaptions(c, settings);
  removeTrailingSlogans(c, settings);

  const kept = live(c.items);
  const terms = removeSpamTerms({
    texts: kept.map((i) => i.text),
    title: head.titleLine ?? input.knownTitle ?? '',
    listed: ctx.spamTerms,
    extra: input.extraSpamTerms ?? [],
    evidence: c.evidence,
    settings: ctx.settings.spamTerms,
    simplifiedUnit: ctx.script.simplifiedUnit,
  });
  const paragraphs = joinBrokenParagraphs(
    kept.map((it, k) => ({ text: collapseSpaces(terms.texts[k] ?? it.text), kind: it.kind })),
    settings,
  );
  const removed: RemovedItem[] = c.items.flatMap((it) =>
    it.removed && it.removed.category !== 'title' ? [it.removed] : [],
  );
  removed.push(
    ...c.cuts,
    ...terms.removed.map((text) => ({ bucket: 'spamTerms' as const, category: 'term', text })),
  );
  return {
    paragraphs,
    titleLine: head.titleLine !== null ? terms.title : null,
    title: terms.title,
    infoLines: head.infoLines,
    removed,
    warnings: c.warnings,
    discoveredTerms: terms.discovered,
  };
}
