import { Parser, type Handler } from 'htmlparser2';
import type { ParseLimits } from '../limits';
import { CHAR, IDEOGRAPH_CLASS, NEEDS_DISPLAY, NON_SPACE, PUNCT, SPACE } from './char-classes';
import { ROLE_BLOCK, ROLE_CHROME, ROLE_DROP, ROLE_META, isHidden, roleOf } from './tags';

/** Node kinds. RAW: script and style, elements whose text is never content. */
export const TEXT = 0;
export const ELEMENT = 1;
export const RAW = 2;
export const COMMENT = 3;
export const DIRECTIVE = 4;
export const ROOT = 5;

/*
 * DomNode.flags: a text node's holds the NON_SPACE and NEEDS_DISPLAY bits of its characters'
 * classes, and these:
 */
/** Text of a script or style element: not counted while parsing, displayed the slow way. */
export const RAW_TEXT = 32;
/** Element: has a text child with a non-space character. */
export const HAS_DIRECT_TEXT = 64;
/** Element: has a child element that is a block. */
export const HAS_BLOCK_CHILD = 128;

/**
 * One node of the parsed page. Nodes are numbered in the order the parser creates them, which is
 * document (pre-)order: a subtree is the run of positions [pos, end), so walks over the document
 * or a subtree are loops over one array that jump over skipped subtrees (no recursion, no stack,
 * whatever the nesting). The text statistics are summed while parsing.
 */
export class DomNode {
  /** One past the last position of the subtree (set when an element closes). */
  end: number;
  data = '';
  flags = 0;
  /** Not dropped: no dropped tag, hidden node, chrome (nav, aside, footer), comment or script is itself or an ancestor. */
  kept = false;
  /** Dropped by tag or as hidden: skipped by the text of hidden and chrome nodes too. */
  quiet = false;
  /** Text statistics of the kept subtree: characters, characters inside links, punctuation, tags. */
  chars = 0;
  linkChars = 0;
  punct = 0;
  tags = 0;
  /** The element's class and id words, lower-cased ('' for most elements, which have neither). */
  readonly hint: string;

  constructor(
    readonly kind: number,
    readonly name: string,
    /** tags.ts role bits of an element's name (0 for other nodes). */
    readonly role: number,
    readonly attribs: Record<string, string> | null,
    readonly parent: DomNode | null,
    readonly pos: number,
  ) {
    this.end = pos + 1;
    this.hint =
      attribs && (attribs.class !== undefined || attribs.id !== undefined)
        ? `${attribs.class ?? ''} ${attribs.id ?? ''}`.trim().toLowerCase()
        : '';
  }
}

export interface ParsedPage {
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

/** How often (in nodes) the time limit is checked while parsing. */
const TIME_CHECK_EVERY = 4096;

/**
 * Builds the node list from htmlparser2's events: decides while parsing which nodes are kept and
 * counts the characters and punctuation of every text as it arrives. Depth, node count and time are
 * checked as nodes are made.
 */
class PageBuilder implements ParsedPage {
  readonly all: DomNode[];
  readonly keptElements: DomNode[] = [];
  readonly metaElements: DomNode[] = [];
  readonly droppedNodes: ParsedPage['droppedNodes'] = [];
  body: DomNode | null = null;
  /** Open elements (domhandler's tag stack); `top` is the last. */
  private readonly open: DomNode[];
  private top: DomNode;
  /** The text node adjacent text still joins (domhandler's lastNode). */
  private lastText: DomNode | null = null;

  constructor(
    private readonly charClasses: Uint8Array,
    private readonly limits: ParseLimits,
  ) {
    const root = new DomNode(ROOT, '', 0, null, null, 0);
    root.kept = true;
    this.all = [root];
    this.open = [root];
    this.top = root;
  }

  private add(n: DomNode): DomNode {
    this.all.push(n);
    if (this.all.length % TIME_CHECK_EVERY === 0) {
      this.limits.checkNodes(this.all.length);
      this.limits.checkTime('while parsing the HTML');
    }
    return n;
  }

  openTag(name: string, attribs: Record<string, string>): void {
    this.lastText = null;
    const { top } = this;
    const raw = name === 'script' || name === 'style';
    const role = roleOf(name);
    const el = this.add(new DomNode(raw ? RAW : ELEMENT, name, role, attribs, top, this.all.length));
    if (!raw) this.classify(el, attribs);
    this.open.push(el);
    this.limits.checkDepth(this.open.length - 1);
    this.top = el;
  }

  /** Kept, hidden or chrome: decided when an element opens, from its tag, attributes and parent. */
  private classify(el: DomNode, attribs: Record<string, string>): void {
    const { top } = this;
    const dropTag = (el.role & ROLE_DROP) !== 0;
    const hidden = !dropTag && isHidden(attribs);
    el.quiet = dropTag || hidden;
    if (top.kept && !dropTag) {
      if (hidden) this.droppedNodes.push({ node: el, category: 'hidden' });
      else if (el.role & ROLE_CHROME) this.droppedNodes.push({ node: el, category: chromeCategory(el.name) });
      else {
        el.kept = true;
        this.keptElements.push(el);
        if (el.name === 'body') this.body ??= el;
      }
    }
    if (el.role & ROLE_BLOCK) top.flags |= HAS_BLOCK_CHILD;
    if (el.role & ROLE_META || attribs.class !== undefined || attribs.id !== undefined)
      this.metaElements.push(el);
  }

  closeTag(): void {
    this.lastText = null;
    if (this.open.length === 1) return;
    const el = this.open.pop()!;
    this.top = this.open[this.open.length - 1]!;
    el.end = this.all.length;
    if (!el.kept) return;
    // The subtree is complete: its sums pass to the parent (kept, as every kept node's).
    el.tags += 1;
    if (el.name === 'a') el.linkChars = el.chars;
    this.top.chars += el.chars;
    this.top.linkChars += el.linkChars;
    this.top.punct += el.punct;
    this.top.tags += el.tags;
  }

  text(data: string): void {
    const { top } = this;
    let t = this.lastText;
    if (t === null) {
      t = this.add(new DomNode(TEXT, '', 0, null, top, this.all.length));
      t.kept = top.kept;
      this.lastText = t;
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
    this.count(t, data);
  }

  /** Counts a piece of text into its node (and its parent, when kept): one table read per character. */
  private count(t: DomNode, data: string): void {
    const classes = this.charClasses;
    let chars = 0;
    let punct = 0;
    let flags = 0;
    for (let j = 0; j < data.length; j++) {
      const c = data.charCodeAt(j);
      // Common ideographs share one class: their 21 KB of the table would crowd the cache.
      const k = c >= 0x4e00 && c <= 0x9fff ? IDEOGRAPH_CLASS : classes[c]!;
      chars += k & CHAR;
      punct += (k & PUNCT) >> 1;
      flags |= k;
    }
    if ((flags & (SPACE | NEEDS_DISPLAY)) === SPACE && data.includes('  ')) flags |= NEEDS_DISPLAY;
    t.chars += chars;
    t.punct += punct;
    t.flags |= flags & (NON_SPACE | NEEDS_DISPLAY);
    if (flags & NON_SPACE) this.top.flags |= HAS_DIRECT_TEXT;
    if (t.kept) {
      this.top.chars += chars;
      this.top.punct += punct;
    }
  }

  leaf(kind: number): void {
    this.add(new DomNode(kind, '', 0, null, this.top, this.all.length));
    this.lastText = null;
  }

  endText(): void {
    this.lastText = null;
  }

  finish(): void {
    this.all[0]!.end = this.all.length;
    this.limits.checkNodes(this.all.length);
  }
}

function chromeCategory(name: string): string {
  return name === 'nav' ? 'navigation' : name === 'footer' ? 'footer' : 'sidebar';
}

/**
 * Parses with htmlparser2 (the options cheerio passes it, so the same tree as domhandler's) into
 * DomNodes. Fails with too_deep, too_many_nodes or parse_timeout beyond the limits.
 */
export function parsePage(html: string, charClasses: Uint8Array, limits: ParseLimits): ParsedPage {
  const b = new PageBuilder(charClasses, limits);
  const handler: Partial<Handler> = {
    onopentag: (name, attribs) => b.openTag(name, attribs),
    onclosetag: () => b.closeTag(),
    ontext: (data) => b.text(data),
    // A comment ends at once (oncommentend follows), so none is ever continued; its text is never read.
    oncomment: () => b.leaf(COMMENT),
    oncommentend: () => b.endText(),
    onprocessinginstruction: () => b.leaf(DIRECTIVE),
  };
  new Parser(handler, { xmlMode: false, decodeEntities: true }).end(html);
  b.finish();
  return b;
}
