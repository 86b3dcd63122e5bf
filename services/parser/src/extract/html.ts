import type { ParserContext } from '../context';
import type { ParseLimits } from '../limits';
import { collapseSpaces } from '../text/chars';
import type { Block } from './block';
import { HAS_BLOCK_CHILD, HAS_DIRECT_TEXT, parsePage, type DomNode } from './dom';
import { linearize } from './linearize';
import { liftToTables } from './table';
import { collectMeta, type HtmlMeta } from './meta';
import { bestCandidate, contentRoots, finalScores, paragraphScores } from './score';
import { ROLE_BLOCK } from './tags';
import { SKIP_QUIET, SKIP_UNKEPT, directText, displayText, textOf } from './text';

export type { HtmlMeta } from './meta';

export interface HtmlExtraction {
  blocks: Block[];
  meta: HtmlMeta;
  /** Text removed before scoring, by reason (hidden nodes, navigation, outside the main content). */
  dropped: Array<{ category: string; text: string }>;
}

/**
 * The text outside the chosen roots, reported as `outside-content` by block: a leaf block (no block
 * children) whole, a block with its own text and block children by its own text. Roots are disjoint
 * subtrees; the walk jumps over them, and over every subtree it has reported, so it is linear.
 */
function outsideText(all: DomNode[], body: DomNode, roots: DomNode[]): string[] {
  const out: string[] = [];
  if (roots.some((r) => r.pos <= body.pos && body.pos < r.end)) return out;
  const rootSet = new Set(roots);
  for (let i = body.pos; i < body.end;) {
    const n = all[i]!;
    if (!n.kept || rootSet.has(n)) {
      i = n.end;
      continue;
    }
    const leaf = (n.role & ROLE_BLOCK) !== 0 && !(n.flags & HAS_BLOCK_CHILD);
    if (leaf) {
      const t = textOf(all, n, SKIP_UNKEPT);
      if (t) out.push(t);
      i = n.end;
      continue;
    }
    if (n.role & ROLE_BLOCK && n.flags & HAS_DIRECT_TEXT) {
      const t = collapseSpaces(displayText(directText(all, n)));
      if (t) out.push(t);
    }
    i++;
  }
  return out;
}

/**
 * Main-content extraction in the spirit of CETD and GNE, scored by characters, not words (Chinese
 * has no spaces): parse (one pass, limits checked), read metadata, report hidden and chrome nodes,
 * score paragraphs and their ancestors, choose the best candidate and its similar siblings, report
 * what lies outside them, and linearize the chosen subtrees into blocks.
 */
export function extractHtml(ctx: ParserContext, html: string, limits: ParseLimits): HtmlExtraction {
  const settings = ctx.settings.extract;
  const page = parsePage(html, ctx.charClasses, limits);
  const { all } = page;
  const meta = collectMeta(all, page.metaElements, settings);
  const dropped: HtmlExtraction['dropped'] = [];
  for (const { node, category } of page.droppedNodes) {
    const t = textOf(all, node, SKIP_QUIET);
    if (t) dropped.push({ category, text: t });
  }
  limits.checkTime('after reading the page');
  const final = finalScores(paragraphScores(page.keptElements, settings), settings);
  const chosen = bestCandidate(final, settings);
  const body = page.body ?? all[0]!;
  const roots = chosen ? liftToTables(all, contentRoots(all, chosen, final, settings), settings) : [body];
  for (const text of outsideText(all, body, roots)) dropped.push({ category: 'outside-content', text });
  return { blocks: linearize(all, roots, settings), meta, dropped };
}
