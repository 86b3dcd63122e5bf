import { Parser, type Handler } from 'htmlparser2';
import {
  HAN,
  PUNCT_TABLE,
  collapseSpaces,
  countChars,
  endsSentence,
  normalizeChars,
  mayNormalize,
} from '../text/chars';
import { makeBlock, type Block, type BlockKind } from './block';

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

function isHidden(a: Record<string, string>): boolean {
  if ('hidden' in a) return true;
  if ((a['aria-hidden'] ?? '').toLowerCase() === 'true') return true;
  if (a.style && HIDDEN_STYLE.test(a.style.replace(/\s+/g, ''))) return true;
  if (a.class && HIDDEN_CLASS.test(a.class)) return true;
  if ((a.type ?? '').toLowerCase() === 'hidden') return true;
  return false;
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

/*
 * Per code unit, what the text statistics need to know, read once while parsing (one table
 * lookup per character of the page): whether it counts as a character (countChars), is
 * punctuation (countPunct), is not whitespace (`\S`), or may make displayText change the text
 * (normalizeChars would map it or the string may not be NFC, or it is whitespace other than a
 * single space). Text without such a character, and without two spaces in a row, is its own
 * display text.
 */
const CHAR = 1;
const PUNCT = 2;
const NON_SPACE = 4;
const NEEDS_DISPLAY = 8;
/** A plain space: two in a row need displayText, and text without one cannot have them. */
const SPACE = 16;
const CHAR_CLASS = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) {
  const ch = String.fromCharCode(c);
  let k = 0;
  if (c > 0x20 && c !== 0xa0 && c !== 0x3000) k |= CHAR;
  if (PUNCT_TABLE[c]) k |= PUNCT;
  if (/\S/.test(ch)) k |= NON_SPACE;
  if (mayNormalize(ch) || /[^\S ]/.test(ch)) k |= NEEDS_DISPLAY;
  if (c === 0x20) k |= SPACE;
  CHAR_CLASS[c] = k;
}

/**
 * The class of every common ideograph (U+4E00..U+9FFF): counted, not punctuation, never changed
 * by displayText.
 */
const IDEOGRAPH_CLASS = CHAR | NON_SPACE;
for (let c = 0x4e00; c <= 0x9fff; c++)
  if (CHAR_CLASS[c] !== IDEOGRAPH_CLASS) throw new Error(`U+${c.toString(16)} is not an ordinary ideograph`);

/** Node kinds. RAW: script and style, elements whose text is never content. */
const TEXT = 0;
const ELEMENT = 1;
const RAW = 2;
const COMMENT = 3;
const DIRECTIVE = 4;
const ROOT = 5;

/*
 * DomNode.flags: a text node's holds the NON_SPACE and NEEDS_DISPLAY bits of its characters'
 * classes, and these:
 */
/** Text of a script or style element: not counted while parsing, displayed the slow way. */
const RAW_TEXT = 32;
/** Element: has a text child with a non-space character. */
const HAS_DIRECT_TEXT = 64;
/** Element: has a child element that is a block. */
const HAS_BLOCK_CHILD = 128;

/**
 * One node of the parsed page. Nodes are numbered in the order the parser creates them, which is
 * document (pre-)order: a subtree is the run of positions [pos, end), so walks over the document
 * or a subtree are loops over one array that jump over skipped subtrees (no recursion, no stack,
 * whatever the nesting). The text statistics are summed while parsing.
 */
class DomNode {
  /** One past the last position of the subtree (set when an element closes). */
  end: number;
  data = '';
  flags = 0;
  /**
   * Not dropped before scoring: no dropped tag, hidden node, chrome (nav, aside, footer),
   * comment or script is itself or an ancestor.
   */
  kept = false;
  /** Dropped by tag or as hidden: skipped by the text of hidden and chrome nodes too. */
  quiet = false;
  /** Text statistics of the kept subtree: characters, characters inside links, punctuation, tags. */
  chars = 0;
  linkChars = 0;
  punct = 0;
  tags = 0;
  // (Scores, which are fractions, live outside the node: a field that turns from an integer
  // into a fraction changes the shape of every node, and a 10 MB page has a million.)
  private hintCache: string | null = null;

  constructor(
    readonly kind: number,
    readonly name: string,
    /** TAG_ROLES bits of an element's name (0 for other nodes). */
    readonly role: number,
    readonly attribs: Record<string, string> | null,
    readonly parent: DomNode | null,
    readonly pos: number,
  ) {
    this.end = pos + 1;
  }

  /** The element's class and id words, lower-cased ('' for most elements, which have neither). */
  get hint(): string {
    if (this.hintCache === null) {
      const a = this.attribs;
      this.hintCache =
        a && (a.class !== undefined || a.id !== undefined)
          ? `${a.class ?? ''} ${a.id ?? ''}`.trim().toLowerCase()
          : '';
    }
    return this.hintCache;
  }
}

/** Elements collectMeta reads even without a class or id. */
const META_ELEMENTS = new Set(['meta', 'title', 'h1', 'link', 'html', 'time']);

/** What extraction needs to know of a tag name (DomNode.role bits), looked up once per element. */
const ROLE_DROP = 1;
const ROLE_CHROME = 2;
const ROLE_BLOCK = 4;
const ROLE_META = 8;
const TAG_ROLES = new Map<string, number>();
for (const [tags, role] of [
  [DROP_TAGS, ROLE_DROP],
  [CHROME_TAGS, ROLE_CHROME],
  [BLOCK_TAGS, ROLE_BLOCK],
  [META_ELEMENTS, ROLE_META],
] as const)
  for (const t of tags) TAG_ROLES.set(t, (TAG_ROLES.get(t) ?? 0) | role);

interface ParsedPage {
  /** Every node in document order; all[0] is the root. */
  all: DomNode[];
  /** Kept elements in document order. */
  keptElements: DomNode[];
  /** Elements collectMeta reads (in META_ELEMENTS, or with a class or id), in document order. */
  metaElements: DomNode[];
  /** Hidden and chrome nodes under kept parents, in document order, with their report category. */
  droppedNodes: Array<{ node: DomNode; category: string }>;
  /** The first kept body element. */
  body: DomNode | null;
}

/**
 * Parses with htmlparser2 (the options cheerio passes it, so the same tree as domhandler's) into
 * DomNodes, deciding while parsing which nodes are kept and counting the characters and
 * punctuation of every text as it arrives (slices of the page, before adjacent pieces are joined
 * into one string whose characters are slower to read).
 */
function parsePage(html: string): ParsedPage {
  const root = new DomNode(ROOT, '', 0, null, null, 0);
  root.kept = true;
  const all: DomNode[] = [root];
  const keptElements: DomNode[] = [];
  const metaElements: DomNode[] = [];
  const droppedNodes: ParsedPage['droppedNodes'] = [];
  let body: DomNode | null = null;
  /** Open elements, as domhandler's tag stack; `top` is the last. */
  const open: DomNode[] = [root];
  let top = root;
  /** The text node adjacent text still joins (as domhandler's lastNode). */
  let lastText: DomNode | null = null;

  const addLeaf = (kind: number) => {
    const n = new DomNode(kind, '', 0, null, top, all.length);
    all.push(n);
    lastText = null;
  };
  const handler: Partial<Handler> = {
    onopentag(name, attribs) {
      lastText = null;
      const raw = name === 'script' || name === 'style';
      const role = TAG_ROLES.get(name) ?? 0;
      const el = new DomNode(raw ? RAW : ELEMENT, name, role, attribs, top, all.length);
      all.push(el);
      if (!raw) {
        const dropTag = (role & ROLE_DROP) !== 0;
        const hidden = !dropTag && isHidden(attribs);
        el.quiet = dropTag || hidden;
        if (top.kept && !dropTag) {
          if (hidden) droppedNodes.push({ node: el, category: 'hidden' });
          else if (role & ROLE_CHROME)
            droppedNodes.push({
              node: el,
              category: name === 'nav' ? 'navigation' : name === 'footer' ? 'footer' : 'sidebar',
            });
          else {
            el.kept = true;
            keptElements.push(el);
            if (name === 'body') body ??= el;
          }
        }
        if (role & ROLE_BLOCK) top.flags |= HAS_BLOCK_CHILD;
        if (role & ROLE_META || attribs.class !== undefined || attribs.id !== undefined)
          metaElements.push(el);
      }
      open.push(el);
      top = el;
    },
    onclosetag() {
      lastText = null;
      if (open.length === 1) return;
      const el = open.pop()!;
      top = open[open.length - 1]!;
      el.end = all.length;
      if (el.kept) {
        // The subtree is complete: its sums pass to the parent (kept, as every kept node's).
        el.tags += 1;
        if (el.name === 'a') el.linkChars = el.chars;
        top.chars += el.chars;
        top.linkChars += el.linkChars;
        top.punct += el.punct;
        top.tags += el.tags;
      }
    },
    ontext(data) {
      let t = lastText;
      if (t === null) {
        t = new DomNode(TEXT, '', 0, null, top, all.length);
        t.kept = top.kept;
        all.push(t);
        lastText = t;
        t.data = data;
      } else {
        t.data += data;
        // Two pieces may meet in two spaces: let displayText decide.
        t.flags |= NEEDS_DISPLAY;
      }
      if (top.kind === RAW) {
        t.flags |= RAW_TEXT;
        return;
      }
      let chars = 0;
      let punct = 0;
      let flags = 0;
      for (let j = 0; j < data.length; j++) {
        const c = data.charCodeAt(j);
        // Common ideographs share one class: their 21 KB of the table would crowd the cache.
        const k = c >= 0x4e00 && c <= 0x9fff ? IDEOGRAPH_CLASS : CHAR_CLASS[c]!;
        chars += k & CHAR;
        punct += (k & PUNCT) >> 1;
        flags |= k;
      }
      if ((flags & (SPACE | NEEDS_DISPLAY)) === SPACE && data.includes('  ')) flags |= NEEDS_DISPLAY;
      t.chars += chars;
      t.punct += punct;
      t.flags |= flags & (NON_SPACE | NEEDS_DISPLAY);
      if (flags & NON_SPACE) top.flags |= HAS_DIRECT_TEXT;
      if (t.kept) {
        top.chars += chars;
        top.punct += punct;
      }
    },
    // A comment ends at once (oncommentend follows), so none is ever continued; its text is
    // never read.
    oncomment() {
      addLeaf(COMMENT);
    },
    oncommentend() {
      lastText = null;
    },
    onprocessinginstruction() {
      addLeaf(DIRECTIVE);
    },
  };
  new Parser(handler, { xmlMode: false, decodeEntities: true }).end(html);
  root.end = all.length;
  return { all, keptElements, metaElements, droppedNodes, body };
}

/*
 * Display texts hold no whitespace but single spaces (displayText turns every run into one), so
 * text joined from them needs collapseSpaces only where two pieces meet in two spaces. The walks
 * below drop the second space as they join (tracking whether the text so far ends with one:
 * reading the last character of a joined string would flatten it), which leaves collapseSpaces
 * only its trim: its replacements, run over many matches, were the most of a walk's time.
 */

/** The display text of a text node, from what parsing learned of it. */
function displayOf(n: DomNode): string {
  if (n.flags & RAW_TEXT) return displayText(n.data);
  // Only whitespace (and characters normalizeChars turns into spaces): one space.
  if (n.chars === 0) return n.data.length ? ' ' : '';
  return n.flags & NEEDS_DISPLAY ? displayText(n.data) : n.data;
}

/** Which nodes below its root a textOf walk leaves out. */
const SKIP_NONE = 0;
/** Nodes not kept (inside the chosen content). */
const SKIP_UNKEPT = 1;
/** Comments, scripts, dropped tags and hidden nodes (the text of a dropped node). */
const SKIP_QUIET = 2;

/**
 * The display text of a subtree, in document order: texts joined, a space for each line break
 * and block element. `skip` is never applied to the root.
 */
function textOf(all: DomNode[], root: DomNode, skip: number): string {
  let s = '';
  let endsWithSpace = false;
  for (let i = root.pos; i < root.end;) {
    const n = all[i]!;
    if (
      i !== root.pos &&
      (skip === SKIP_UNKEPT
        ? !n.kept
        : skip === SKIP_QUIET && (n.kind === COMMENT || n.kind === RAW || n.quiet))
    ) {
      i = n.end;
      continue;
    }
    if (n.kind === TEXT) {
      const t = displayOf(n);
      if (t !== '') {
        s += endsWithSpace && t.charCodeAt(0) === 0x20 ? t.slice(1) : t;
        endsWithSpace = t.charCodeAt(t.length - 1) === 0x20;
      }
    } else if ((n.role & ROLE_BLOCK || n.name === 'br') && !endsWithSpace) {
      s += ' ';
      endsWithSpace = true;
    }
    i++;
  }
  return collapseSpaces(s);
}

function collectMeta(all: DomNode[], elements: DomNode[]): HtmlMeta {
  // One pass over the elements every head field, info bar and tag list can come from, in
  // document order (the parser listed them).
  const metaTags: Record<string, string> = {};
  let titleTag: string | null = null;
  const h1: string[] = [];
  let canonical: string | null = null;
  let lang: string | null = null;
  const infoTexts: string[] = [];
  const tagTerms: string[] = [];
  for (const n of elements) {
    const a = n.attribs!;
    switch (n.name) {
      case 'meta': {
        const key = (a.property ?? a.name ?? a.itemprop ?? a['http-equiv'] ?? '').toLowerCase().trim();
        if (key && a.content != null && !(key in metaTags)) metaTags[key] = normalizeChars(a.content).trim();
        break;
      }
      case 'title':
        if (titleTag === null) titleTag = textOf(all, n, SKIP_NONE) || null;
        break;
      case 'h1': {
        const t = textOf(all, n, SKIP_NONE);
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
    const hint = n.hint;
    if (!hint && n.name !== 'time') continue;
    if (n.name === 'time' && a.datetime) infoTexts.push(a.datetime);
    if (INFO_HINT.test(hint) && infoTexts.length < 20) {
      const t = textOf(all, n, SKIP_NONE);
      if (t && t.length <= 200) infoTexts.push(t);
    }
    if (TAG_HINT.test(hint) || (a.rel ?? '').includes('tag')) {
      const t = textOf(all, n, SKIP_NONE);
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
  const page = parsePage(html);
  const { all } = page;
  const root = all[0]!;
  const meta = collectMeta(all, page.metaElements);
  const dropped: HtmlExtraction['dropped'] = [];
  for (const { node, category } of page.droppedNodes) {
    const t = textOf(all, node, SKIP_QUIET);
    if (t) dropped.push({ category, text: t });
  }

  // Paragraph scores flow to ancestors (1, 1/2, 1/3 ...), as in Readability, but by characters.
  // A few dozen candidates per page: a Map beats an array over every node.
  const score = new Map<DomNode, number>();
  const candidates: DomNode[] = [];
  for (const n of page.keptElements) {
    const name = n.name;
    const chars = n.chars;
    const isPara =
      name === 'p' ||
      name === 'pre' ||
      name === 'td' ||
      name === 'li' ||
      HEADINGS.has(name) ||
      ((name === 'div' || name === 'section' || name === 'span' || name === 'font') &&
        (n.flags & HAS_DIRECT_TEXT) !== 0);
    if (!isPara || chars < 10) continue;
    const ld = chars ? n.linkChars / chars : 0;
    const paraScore = (1 + n.punct + Math.min(chars / 40, 6)) * (1 - ld);
    let a = n.parent;
    for (let level = 1; a && level <= 4; level++, a = a.parent) {
      if (!a.kept || a.kind !== ELEMENT) break;
      const sum = score.get(a) ?? 0;
      if (sum === 0) candidates.push(a);
      score.set(a, sum + paraScore / level);
    }
  }
  let best: DomNode | null = null;
  let bestScore = 0;
  const finalScore = new Map<DomNode, number>();
  for (const n of candidates) {
    const chars = n.chars;
    const ld = chars ? n.linkChars / chars : 0;
    // CETD text density: characters per tag; a dense text node beats a tag soup of the same size.
    const td = chars / Math.max(1, n.tags);
    const hint = n.hint;
    let f = score.get(n)! * (1 - ld) * (1 + Math.log10(1 + td) / 2);
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

  const body = page.body ?? root;
  let roots: DomNode[];
  if (!best) {
    roots = [body];
  } else {
    roots = [];
    const siblings = best.parent ? childrenOf(all, best.parent).filter((c) => c.kept) : [best];
    const threshold = Math.max(10, bestScore * 0.2);
    for (const sib of siblings) {
      if (sib === best) {
        roots.push(sib);
        continue;
      }
      if (sib.kind !== ELEMENT) continue;
      const chars = sib.chars;
      const ld = chars ? sib.linkChars / chars : 1;
      const fs = finalScore.get(sib) ?? 0;
      const isTextPara =
        (sib.name === 'p' || HEADINGS.has(sib.name)) && chars >= 20 && ld < 0.25 && sib.punct > 0;
      if ((fs >= threshold && ld < 0.5) || isTextPara) roots.push(sib);
    }
  }
  // Whatever text lies outside the chosen roots is not the article: report it by location.
  // Roots are disjoint subtrees; the body walk jumps over those inside it, and finds nothing if
  // one of them holds the body.
  const inRoot = (n: DomNode): boolean => roots.some((r) => r.pos <= n.pos && n.pos < r.end);
  if (!inRoot(body)) {
    const rootStarts = new Set(roots);
    for (let i = body.pos; i < body.end;) {
      const n = all[i]!;
      if (!n.kept || rootStarts.has(n)) {
        i = n.end;
        continue;
      }
      i++;
      // Leaf blocks (no block children) are reported whole; mixed blocks by their own text.
      if (!(n.role & ROLE_BLOCK)) continue;
      const leaf = !(n.flags & HAS_BLOCK_CHILD);
      if (leaf || n.flags & HAS_DIRECT_TEXT) {
        const t = leaf ? textOf(all, n, SKIP_UNKEPT) : collapseSpaces(displayText(directText(all, n)));
        if (t) dropped.push({ category: 'outside-content', text: t });
      }
    }
  }

  const blocks: Block[] = [];
  for (const r of roots) linearize(all, r, blocks);
  return { blocks, meta, dropped };
}

/** A node's children: the subtrees that follow it in its own run of positions. */
function childrenOf(all: DomNode[], n: DomNode): DomNode[] {
  const out: DomNode[] = [];
  for (let i = n.pos + 1; i < n.end; i = all[i]!.end) out.push(all[i]!);
  return out;
}

function directText(all: DomNode[], n: DomNode): string {
  let s = '';
  for (let i = n.pos + 1; i < n.end;) {
    const c = all[i]!;
    if (c.kind === TEXT) s += c.data;
    i = c.end;
  }
  return s;
}

/** A table of data (statistics) rather than a layout grid: no nested tables, short cells. */
function isDataTable(all: DomNode[], table: DomNode): { rows: string[][] } | null {
  const rows: string[][] = [];
  let cells = 0;
  let cellChars = 0;
  for (let i = table.pos + 1; i < table.end;) {
    const n = all[i]!;
    if (!n.kept) {
      i = n.end;
      continue;
    }
    i++;
    if (n.name === 'table') return null;
    if (n.name === 'tr') {
      const row: string[] = [];
      for (const c of childrenOf(all, n)) {
        if (c.name === 'td' || c.name === 'th') {
          const t = textOf(all, c, SKIP_UNKEPT).replace(/\t/g, ' ');
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

/** Flattens the chosen subtree into blocks, in document order. */
function linearize(all: DomNode[], root: DomNode, out: Block[]): void {
  let buf = '';
  /** countChars(buf), summed as text is added. */
  let bufChars = 0;
  /** Whether buf holds a line break: only a br adds one (display text has none). */
  let bufLines = false;
  /** Whether buf ends with a space (see displayOf). */
  let bufEndsWithSpace = false;
  let linkChars = 0;
  let kind: BlockKind = 'p';
  let listId: number | null = null;
  let hint = '';
  const listIds = new Map<DomNode, number>();
  let nextListId = 1;
  let lastWasImage = false;
  let linkDepth = 0;

  const flush = () => {
    // Called at every block boundary, mostly with nothing buffered: nothing to split or count.
    if (buf === '') {
      linkChars = 0;
      return;
    }
    const lines = bufLines ? buf.split('\n') : [buf];
    const totalChars = bufChars;
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
    bufChars = 0;
    bufLines = false;
    bufEndsWithSpace = false;
    linkChars = 0;
  };

  type Prev = { kind: BlockKind; listId: number | null; hint: string };
  // Elements whose end the walk must still handle (blocks and links), innermost last, with the
  // state each block restores when it ends.
  const openNodes: DomNode[] = [];
  const prevs: Array<Prev | undefined> = [];
  const closeUntil = (pos: number) => {
    while (openNodes.length && openNodes[openNodes.length - 1]!.end <= pos) {
      const n = openNodes.pop()!;
      const prev = prevs.pop();
      if (n.name === 'a') linkDepth--;
      if (n.role & ROLE_BLOCK) {
        flush();
        if (prev) ({ kind, listId, hint } = prev);
      }
    }
  };
  for (let i = root.pos; i < root.end;) {
    closeUntil(i);
    const n = all[i]!;
    if (!n.kept) {
      i = n.end;
      continue;
    }
    i++;
    if (n.kind === TEXT) {
      const t = displayOf(n);
      // displayOf returned the text itself, or a space, unless it needed displayText.
      const chars = n.flags & NEEDS_DISPLAY ? countChars(t) : n.chars;
      if (t !== '') {
        buf += bufEndsWithSpace && t.charCodeAt(0) === 0x20 ? t.slice(1) : t;
        bufEndsWithSpace = t.charCodeAt(t.length - 1) === 0x20;
      }
      bufChars += chars;
      if (linkDepth > 0) linkChars += chars;
      continue;
    }
    if (n.kind !== ELEMENT && n.kind !== ROOT) continue;
    const name = n.name;
    if (name === 'br') {
      buf += '\n';
      bufLines = true;
      bufEndsWithSpace = false;
      i = n.end;
      continue;
    }
    if (name === 'img') {
      if (bufChars === 0) lastWasImage = true;
      i = n.end;
      continue;
    }
    if (name === 'table') {
      const data = isDataTable(all, n);
      if (data) {
        flush();
        const text = data.rows.map((r) => r.join('\t')).join('\n');
        out.push(makeBlock(text, 'table', { hint: n.hint }));
        lastWasImage = false;
        i = n.end;
        continue;
      }
    }
    if (name === 'a') linkDepth++;
    let prev: Prev | undefined;
    if (n.role & ROLE_BLOCK) {
      flush();
      prev = { kind, listId, hint };
      const h = n.hint;
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
    if (name === 'a' || prev !== undefined) {
      openNodes.push(n);
      prevs.push(prev);
    }
  }
  closeUntil(root.end);
  flush();
}
