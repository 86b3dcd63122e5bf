import { load } from 'cheerio';
import { HAN, PUNCT_TABLE, collapseSpaces, countChars, endsSentence, normalizeChars } from '../text/chars';
import { makeBlock, type Block, type BlockKind } from './block';

/** The few domhandler fields we use; the DOM is walked with explicit stacks, never recursion. */
interface DomNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  data?: string;
  parent?: DomNode | null;
  /** Per-parse scratch fields (a fresh DOM per parse): cheaper than Maps over 10^5 nodes. */
  /** Pre-order index among the kept nodes (set only on kept nodes). */
  _i?: number;
  _r?: boolean;
}
interface NodeSet {
  has(n: DomNode): boolean;
}

export interface HtmlMeta {
  metaTags: Record<string, string>;
  titleTag: string | null;
  h1: string[];
  canonical: string | null;
  siteName: string | null;
  /** Text of elements that look like an info bar (date, source, views) near the title. */
  infoTexts: string[];
  /** Words of the page's own tag/keyword lists, sidebars' link texts: spam-term evidence. */
  tagTerms: string[];
  lang: string | null;
}

export interface HtmlExtraction {
  blocks: Block[];
  meta: HtmlMeta;
  /** Text removed before scoring, by reason (hidden nodes, navigation, outside the main content). */
  dropped: Array<{ category: string; text: string }>;
}

const DROP_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'canvas',
  'select',
  'option',
  'button',
  'input',
  'textarea',
  'head',
  'title',
  'meta',
  'link',
  'map',
  'audio',
  'video',
  'math',
]);
/** Elements that are chrome by definition; their text is reported, not scored. */
const CHROME_TAGS = new Set(['nav', 'aside', 'footer']);
const BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'nav',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'blockquote',
  'pre',
  'figure',
  'figcaption',
  'address',
  'center',
  'form',
  'fieldset',
  'hr',
  'body',
  'html',
  'caption',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const HIDDEN_CLASS = /(^|\s)(hidden|hide|d-none|sr-only|visually-hidden|screen-reader-text|invisible)(\s|$)/i;
const HIDDEN_STYLE =
  /(display\s*:\s*none|visibility\s*:\s*hidden|(^|;)\s*(width|height)\s*:\s*0(px|em|%)?\s*(;|$)|font-size\s*:\s*0(px)?\s*(;|$)|opacity\s*:\s*0(\.0+)?\s*(;|$))/i;
const CAPTION_HINT =
  /(caption|pic-?(text|title|desc|info)|img-?(desc|title|text)|photo-?(text|desc)|figure|tupian|tuzhu|imgtitle)/i;
const NEGATIVE_HINT =
  /(comment|footer|foot|sidebar|side-?bar|widget|related|recommend|share|breadcrumb|crumb|nav|menu|banner|advert|\bad\b|ads|hot|rank|tags?\b|keyword|copyright|friend-?link|links)/i;
const POSITIVE_HINT =
  /(article|content|entry|post|main|body|text|detail|zoom|con\b|TRS_Editor|news|wenzhang|zhengwen)/i;
const TAG_HINT = /(tag|keyword|label|topic)/i;
const INFO_HINT = /(info|date|time|pub|source|laiyuan|meta|byline|author|attr|xinxi)/i;

function isHidden(el: DomNode): boolean {
  const a = el.attribs;
  if (!a) return false;
  if ('hidden' in a) return true;
  if ((a['aria-hidden'] ?? '').toLowerCase() === 'true') return true;
  if (a.style && HIDDEN_STYLE.test(a.style.replace(/\s+/g, ''))) return true;
  if (a.class && HIDDEN_CLASS.test(a.class)) return true;
  if ((a.type ?? '').toLowerCase() === 'hidden') return true;
  return false;
}

function hintOf(el: DomNode): string {
  const a = el.attribs ?? {};
  return `${a.class ?? ''} ${a.id ?? ''}`.trim().toLowerCase();
}

/** Text node → display text: a line break between two CJK characters is no space at all. */
const CJK_BREAK = new RegExp(
  `([${HAN}\\u3000-\\u303f\\uff00-\\uffef])\\s*\\n\\s*(?=[${HAN}\\u3000-\\u303f\\uff00-\\uffef])`,
  'g',
);
/** Whitespace that `\s+` → ' ' would change: any but a single space, or two in a row. */
const ODD_WHITESPACE = /[^\S ]| {2}/;
function displayText(raw: string): string {
  let t = normalizeChars(raw);
  // CJK_BREAK needs a line break; most text nodes are one line with single spaces.
  if (t.indexOf('\n') >= 0) t = t.replace(CJK_BREAK, '$1');
  return ODD_WHITESPACE.test(t) ? t.replace(/\s+/g, ' ') : t;
}

/** Iterative pre-order list of elements (the order of the document), skipping dropped subtrees. */
function preorder(root: DomNode, skip: (n: DomNode) => boolean): DomNode[] {
  const out: DomNode[] = [];
  const stack: DomNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (skip(n)) continue;
    out.push(n);
    const ch = n.children;
    if (ch) for (let i = ch.length - 1; i >= 0; i--) stack.push(ch[i]!);
  }
  return out;
}

const NO_SKIP = (): boolean => false;

/**
 * The display text of a subtree, in document order, walking it directly (the same order as
 * preorder, whose node array it no longer builds: this runs for every hidden block, info bar, tag
 * list and table cell). `skip` is never applied to the root.
 */
function textOf(root: DomNode, skip: (n: DomNode) => boolean = NO_SKIP): string {
  let s = '';
  const stack: DomNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n !== root && skip(n)) continue;
    if (n.type === 'text') s += displayText(n.data ?? '');
    else if (n.name === 'br' || (n.name && BLOCK_TAGS.has(n.name))) s += ' ';
    const ch = n.children;
    if (ch) for (let i = ch.length - 1; i >= 0; i--) stack.push(ch[i]!);
  }
  return collapseSpaces(s);
}

function collectMeta(root: DomNode): HtmlMeta {
  // One pass for every head field: CSS selector queries would walk a 10 MB DOM once each.
  const metaTags: Record<string, string> = {};
  let titleTag: string | null = null;
  const h1: string[] = [];
  let canonical: string | null = null;
  let lang: string | null = null;
  const infoTexts: string[] = [];
  const tagTerms: string[] = [];
  // The same walk also reads info bars and tag lists: script and style (kept here for the head
  // fields) hold no elements, so every element is visited once, in document order.
  for (const n of preorder(
    root,
    (x) => x.type !== 'tag' && x.type !== 'root' && x.type !== 'script' && x.type !== 'style',
  )) {
    if (n.type !== 'tag') continue;
    const a = n.attribs ?? {};
    switch (n.name) {
      case 'meta': {
        const key = (a.property ?? a.name ?? a.itemprop ?? a['http-equiv'] ?? '').toLowerCase().trim();
        if (key && a.content != null && !(key in metaTags)) metaTags[key] = normalizeChars(a.content).trim();
        break;
      }
      case 'title':
        if (titleTag === null) titleTag = textOf(n) || null;
        break;
      case 'h1': {
        const t = textOf(n);
        if (t) h1.push(t);
        break;
      }
      case 'link':
        if (!canonical && /(^|\s)canonical(\s|$)/i.test(a.rel ?? '') && a.href) canonical = a.href;
        break;
      case 'html':
        lang ??= a.lang ?? null;
        break;
    }
    if (!n.attribs) continue;
    const hint = hintOf(n);
    if (!hint && n.name !== 'time') continue;
    if (n.name === 'time' && n.attribs.datetime) infoTexts.push(n.attribs.datetime);
    if (INFO_HINT.test(hint) && infoTexts.length < 20) {
      const t = textOf(n);
      if (t && t.length <= 200) infoTexts.push(t);
    }
    if (TAG_HINT.test(hint) || (n.attribs.rel ?? '').includes('tag')) {
      const t = textOf(n);
      if (t.length <= 400) for (const w of t.split(/[\s,，、;；|:：]+/)) if (w) tagTerms.push(w);
    }
  }
  return {
    metaTags,
    titleTag,
    h1,
    canonical,
    siteName: metaTags['og:site_name'] ?? metaTags['sitename'] ?? metaTags['site_name'] ?? null,
    infoTexts,
    tagTerms,
    lang,
  };
}

/**
 * Main-content extraction in the spirit of CETD and GNE, scored by characters, not words (Chinese
 * has no spaces): every text-bearing block scores by its characters and its punctuation (Chinese
 * marks counted) and passes the score to its ancestors; a candidate's score is damped by its link
 * density and boosted by its text density (characters per tag). The best candidate and its
 * similar-scoring siblings are the article; everything is then linearized into blocks.
 */
export function extractHtml(html: string): HtmlExtraction {
  const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } } as Parameters<typeof load>[1]);
  const root = $.root()[0] as unknown as DomNode;
  const meta = collectMeta(root);
  const dropped: HtmlExtraction['dropped'] = [];

  const quietSkip = (n: DomNode): boolean =>
    n.type === 'comment' ||
    n.type === 'script' ||
    n.type === 'style' ||
    (n.type === 'tag' && (DROP_TAGS.has(n.name ?? '') || isHidden(n)));
  const skip = (n: DomNode): boolean => {
    if (n.type === 'comment' || n.type === 'directive' || n.type === 'script' || n.type === 'style')
      return true;
    if (n.type !== 'tag') return false;
    const name = n.name ?? '';
    if (DROP_TAGS.has(name)) return true;
    if (isHidden(n)) {
      const t = textOf(n, quietSkip);
      if (t) dropped.push({ category: 'hidden', text: t });
      return true;
    }
    if (CHROME_TAGS.has(name)) {
      const t = textOf(n, quietSkip);
      if (t)
        dropped.push({
          category: name === 'nav' ? 'navigation' : name === 'footer' ? 'footer' : 'sidebar',
          text: t,
        });
      return true;
    }
    return false;
  };
  const order = preorder(root, skip);

  // Post-order statistics (reverse pre-order visits children before parents). Each kept node's
  // statistics sit at its pre-order index in typed arrays (no object per node); `_i` holds the
  // index and marks the node kept.
  const count = order.length;
  const stChars = new Float64Array(count);
  const stLinkChars = new Float64Array(count);
  const stPunct = new Float64Array(count);
  const stTags = new Float64Array(count);
  const stScore = new Float64Array(count);
  for (let i = 0; i < count; i++) order[i]!._i = i;
  const kept: NodeSet = { has: (n) => n._i !== undefined };
  for (let i = count - 1; i >= 0; i--) {
    const n = order[i]!;
    if (n.type === 'text') {
      // countChars and countPunct in one pass over the text.
      const t = n.data ?? '';
      let chars = 0;
      let punct = 0;
      for (let j = 0; j < t.length; j++) {
        const c = t.charCodeAt(j);
        if (c > 0x20 && c !== 0xa0 && c !== 0x3000) chars++;
        punct += PUNCT_TABLE[c]!;
      }
      stChars[i] = chars;
      stPunct[i] = punct;
    } else if (n.type === 'tag') {
      stTags[i]! += 1;
      if (n.name === 'a') stLinkChars[i] = stChars[i]!;
    }
    const p = n.parent;
    const pi = p?._i;
    if (pi !== undefined) {
      stChars[pi]! += stChars[i]!;
      stLinkChars[pi]! += stLinkChars[i]!;
      stPunct[pi]! += stPunct[i]!;
      stTags[pi]! += stTags[i]!;
    }
  }

  // Paragraph scores flow to ancestors (1, 1/2, 1/3 ...), as in Readability, but by characters.
  const scoreTargets: DomNode[] = [];
  for (let i = 0; i < count; i++) {
    const n = order[i]!;
    if (n.type !== 'tag') continue;
    const name = n.name ?? '';
    const chars = stChars[i]!;
    const isPara =
      name === 'p' ||
      name === 'pre' ||
      name === 'td' ||
      name === 'li' ||
      HEADINGS.has(name) ||
      ((name === 'div' || name === 'section' || name === 'span' || name === 'font') && hasDirectText(n));
    if (!isPara || chars < 10) continue;
    const ld = chars ? stLinkChars[i]! / chars : 0;
    const score = (1 + stPunct[i]! + Math.min(chars / 40, 6)) * (1 - ld);
    let a = n.parent;
    for (let level = 1; a && level <= 4; level++, a = a.parent) {
      const ai = a._i;
      if (ai === undefined || a.type !== 'tag') break;
      if (stScore[ai] === 0) scoreTargets.push(a);
      stScore[ai]! += score / level;
    }
  }
  let best: DomNode | null = null;
  let bestScore = 0;
  const finalScore = new Map<DomNode, number>();
  for (const n of scoreTargets) {
    const i = n._i!;
    const chars = stChars[i]!;
    const ld = chars ? stLinkChars[i]! / chars : 0;
    // CETD text density: characters per tag; a dense text node beats a tag soup of the same size.
    const td = chars / Math.max(1, stTags[i]!);
    const hint = hintOf(n);
    let f = stScore[i]! * (1 - ld) * (1 + Math.log10(1 + td) / 2);
    if (POSITIVE_HINT.test(hint)) f *= 1.25;
    if (NEGATIVE_HINT.test(hint) && !POSITIVE_HINT.test(hint)) f *= 0.6;
    finalScore.set(n, f);
    if (f > bestScore) {
      bestScore = f;
      best = n;
    }
  }
  // A candidate whose parent scores nearly as well is one column of a split article: climb.
  while (best && best.parent && finalScore.has(best.parent)) {
    const ps = finalScore.get(best.parent)!;
    if (ps >= bestScore * 0.9 && best.parent.name !== 'body') {
      best = best.parent;
      bestScore = Math.max(bestScore, ps);
    } else break;
  }

  let roots: DomNode[];
  if (!best) {
    const body = order.find((n) => n.name === 'body') ?? root;
    roots = [body];
  } else {
    roots = [];
    const siblings = (best.parent?.children ?? [best]).filter((c) => kept.has(c));
    const threshold = Math.max(10, bestScore * 0.2);
    for (const sib of siblings) {
      if (sib === best) {
        roots.push(sib);
        continue;
      }
      if (sib.type !== 'tag') continue;
      const si = sib._i!;
      const chars = stChars[si]!;
      const ld = chars ? stLinkChars[si]! / chars : 1;
      const fs = finalScore.get(sib) ?? 0;
      const isTextPara =
        (sib.name === 'p' || HEADINGS.has(sib.name ?? '')) && chars >= 20 && ld < 0.25 && stPunct[si]! > 0;
      if ((fs >= threshold && ld < 0.5) || isTextPara) roots.push(sib);
    }
  }
  // Whatever text lies outside the chosen roots is not the article: report it by location.
  for (const r of roots) for (const n of preorder(r, (x) => !kept.has(x))) n._r = true;
  const inRoots: NodeSet = { has: (n) => n._r === true };
  const body = order.find((n) => n.name === 'body') ?? root;
  for (const n of preorder(body, (x) => !kept.has(x) || inRoots.has(x))) {
    // Leaf blocks (no block children) are reported whole; mixed blocks by their own text.
    if (n.type !== 'tag' || !n.name || !BLOCK_TAGS.has(n.name)) continue;
    const leaf = !(n.children ?? []).some((c) => c.type === 'tag' && BLOCK_TAGS.has(c.name ?? ''));
    if (leaf || hasDirectText(n)) {
      const t = leaf ? textOf(n, (x) => !kept.has(x)) : collapseSpaces(displayText(directText(n)));
      if (t) dropped.push({ category: 'outside-content', text: t });
    }
  }

  const blocks: Block[] = [];
  for (const r of roots) linearize(r, kept, blocks);
  return { blocks, meta, dropped };
}

function hasDirectText(n: DomNode): boolean {
  for (const c of n.children ?? []) if (c.type === 'text' && /\S/.test(c.data ?? '')) return true;
  return false;
}
function directText(n: DomNode): string {
  let s = '';
  for (const c of n.children ?? []) if (c.type === 'text') s += c.data ?? '';
  return s;
}

/** A table of data (statistics) rather than a layout grid: no nested tables, short cells. */
function isDataTable(table: DomNode, kept: NodeSet): { rows: string[][] } | null {
  const rows: string[][] = [];
  let cells = 0;
  let cellChars = 0;
  for (const n of preorder(table, (x) => !kept.has(x))) {
    if (n === table) continue;
    if (n.name === 'table') return null;
    if (n.name === 'tr') {
      const row: string[] = [];
      for (const c of n.children ?? []) {
        if (c.name === 'td' || c.name === 'th') {
          const t = textOf(c, (x) => !kept.has(x)).replace(/\t/g, ' ');
          row.push(t);
          cells++;
          cellChars += t.length;
          if (t.length > 200 && endsSentence(t)) return null;
        }
      }
      if (row.some((c) => c)) rows.push(row);
    }
  }
  if (rows.length < 2 || cells < 4 || cellChars / cells > 60) return null;
  return { rows };
}

/** Flattens the chosen subtree into blocks, in document order, iteratively. */
function linearize(root: DomNode, kept: NodeSet, out: Block[]): void {
  let buf = '';
  let linkChars = 0;
  let kind: BlockKind = 'p';
  let listId: number | null = null;
  let hint = '';
  const listIds = new Map<DomNode, number>();
  let nextListId = 1;
  let lastWasImage = false;

  const flush = () => {
    // Called at every block boundary, mostly with nothing buffered: nothing to split or count.
    if (buf === '') {
      linkChars = 0;
      return;
    }
    const lines = buf.split('\n');
    const totalChars = countChars(buf);
    for (const raw of lines) {
      const text = collapseSpaces(raw);
      if (!text) continue;
      let k = kind;
      // A short line right after a picture is its caption.
      if (k === 'p' && lastWasImage && text.length <= 40 && !endsSentence(text)) k = 'caption';
      out.push(
        makeBlock(text, k, {
          linkDensity: totalChars ? Math.min(1, linkChars / totalChars) : 0,
          listId,
          hint,
        }),
      );
      lastWasImage = false;
    }
    buf = '';
    linkChars = 0;
  };

  type Prev = { kind: BlockKind; listId: number | null; hint: string };
  // The walk's stack as three parallel arrays (node, exit visit?, state to restore on exit):
  // no frame object per visit of every node.
  const nodes: DomNode[] = [root];
  const exits: boolean[] = [false];
  const prevs: Array<Prev | undefined> = [undefined];
  const linkDepth = { n: 0 };
  while (nodes.length) {
    const n = nodes.pop()!;
    const exit = exits.pop()!;
    const fprev = prevs.pop();
    if (!kept.has(n)) continue;
    if (exit) {
      if (n.name === 'a') linkDepth.n--;
      if (n.name && BLOCK_TAGS.has(n.name)) {
        flush();
        if (fprev) ({ kind, listId, hint } = fprev);
      }
      continue;
    }
    if (n.type === 'text') {
      const t = displayText(n.data ?? '');
      buf += t;
      if (linkDepth.n > 0) linkChars += countChars(t);
      continue;
    }
    if (n.type !== 'tag' && n.type !== 'root') continue;
    const name = n.name ?? '';
    if (name === 'br') {
      buf += '\n';
      continue;
    }
    if (name === 'img') {
      if (countChars(buf) === 0) lastWasImage = true;
      continue;
    }
    if (name === 'table') {
      const data = isDataTable(n, kept);
      if (data) {
        flush();
        const text = data.rows.map((r) => r.join('\t')).join('\n');
        out.push(makeBlock(text, 'table', { hint: hintOf(n) }));
        lastWasImage = false;
        continue;
      }
    }
    if (name === 'a') linkDepth.n++;
    let prev: Prev | undefined;
    if (BLOCK_TAGS.has(name)) {
      flush();
      prev = { kind, listId, hint };
      const h = hintOf(n);
      if (h) hint = h;
      if (HEADINGS.has(name)) kind = 'heading';
      else if (name === 'li' || name === 'dt' || name === 'dd') {
        kind = 'li';
        const list = n.parent ?? n;
        let id = listIds.get(list);
        if (id === undefined) {
          id = nextListId++;
          listIds.set(list, id);
        }
        listId = id;
      } else if (name === 'figcaption' || (h && CAPTION_HINT.test(h))) kind = 'caption';
      else if (name === 'pre') kind = 'pre';
      else if (kind !== 'li' && kind !== 'caption' && kind !== 'heading') kind = 'p';
    }
    nodes.push(n);
    exits.push(true);
    prevs.push(prev);
    const ch = n.children;
    if (ch)
      for (let i = ch.length - 1; i >= 0; i--) {
        nodes.push(ch[i]!);
        exits.push(false);
        prevs.push(undefined);
      }
  }
  flush();
}
