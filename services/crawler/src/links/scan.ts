import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/**
 * One linear pass over an HTML page with htmlparser2's tokenizer: no DOM and no stack of open
 * elements (cheerio's parse5 and htmlparser2's own Parser both keep one, and pay for it on every
 * tag of a deeply nested page: 40,000 nested divs took cheerio 20 s). What the crawler needs from
 * a page it can read this way: link targets, the `<base href>`, inline scripts (where JCMS and TRS
 * keep their lists and pagers) and how deep and large the page is.
 */
export interface ScannedScript {
  /** The `type` attribute, lower-cased, or undefined. */
  type: string | undefined;
  text: string;
}

export interface HtmlScan {
  /** `href` of every `<a>` and `<area>`, in document order, entities decoded. */
  links: string[];
  /** The first `<base href>`. */
  baseHref: string | undefined;
  /** Inline scripts (no `src`), in document order. */
  scripts: ScannedScript[];
  /**
   * Deepest nesting of elements reached, as a browser would roughly build it: void elements and
   * the usual implied closes (`<p>` before a block, `<li>` after `<li>`, cells and rows) counted,
   * a close tag matched only against the innermost 64 open elements, so each tag costs O(1).
   */
  maxDepth: number;
  /** Start tags seen. */
  elements: number;
  /** True when the scan stopped at `maxElements`: what it found so far is returned. */
  truncated: boolean;
}

export interface ScanLimits {
  /** Start tags read before the scan stops (a bound on time for hostile pages). */
  maxElements: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxElements: 1_000_000 };

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Opening one of these closes an open `<p>` (HTML's "close a p element in button scope"). */
const CLOSES_P = new Set(
  (
    'address article aside blockquote center details dd div dl dt fieldset figcaption figure footer ' +
    'form h1 h2 h3 h4 h5 h6 header hr li main menu nav ol p pre section summary table ul'
  ).split(' '),
);
/** Opening the key closes an open element of these names on top of the stack. */
const CLOSES_SIBLING: Record<string, string[]> = {
  li: ['li'],
  dt: ['dt', 'dd'],
  dd: ['dt', 'dd'],
  option: ['option'],
  td: ['td', 'th'],
  th: ['td', 'th'],
  tr: ['td', 'th', 'tr'],
};
/** How far down the stack a close tag looks for its element; further down it is ignored. */
const CLOSE_SEARCH = 64;
/** Tags whose attributes the scan keeps; every other tag's attributes are skipped unread. */
const WANTED = new Set(['a', 'area', 'base', 'script']);

export function scanHtml(html: string, limits: ScanLimits = DEFAULT_SCAN_LIMITS): HtmlScan {
  const out: HtmlScan = {
    links: [],
    baseHref: undefined,
    scripts: [],
    maxDepth: 0,
    elements: 0,
    truncated: false,
  };
  const stack: string[] = [];
  let tag = '';
  let attrs: Map<string, string> | undefined;
  let attrName = '';
  let attrValue = '';
  let script: ScannedScript | undefined;

  const endOfStartTag = (selfClosing: boolean) => {
    if (attrs) takeTag(tag, attrs);
    if (CLOSES_P.has(tag) && stack.at(-1) === 'p') stack.pop();
    for (const sibling of CLOSES_SIBLING[tag] ?? []) if (stack.at(-1) === sibling) stack.pop();
    if (!selfClosing && !VOID.has(tag)) {
      stack.push(tag);
      if (stack.length > out.maxDepth) out.maxDepth = stack.length;
    }
    if (tag === 'script' && attrs && !attrs.has('src') && !selfClosing) {
      script = { type: attrs.get('type')?.trim().toLowerCase(), text: '' };
    }
    attrs = undefined;
  };
  const takeTag = (name: string, a: Map<string, string>) => {
    const href = a.get('href');
    if (href === undefined) return;
    if (name === 'a' || name === 'area') out.links.push(href);
    else if (name === 'base' && out.baseHref === undefined) out.baseHref = href;
  };

  const cbs: TokenizerCallbacks = {
    onopentagname(start, end) {
      tag = html.slice(start, end).toLowerCase();
      out.elements++;
      if (out.elements > limits.maxElements) {
        out.truncated = true;
        tokenizer.pause();
        return;
      }
      attrs = WANTED.has(tag) ? new Map() : undefined;
    },
    onattribname(start, end) {
      if (!attrs) return;
      attrName = html.slice(start, end).toLowerCase();
      attrValue = '';
    },
    onattribdata(start, end) {
      if (attrs) attrValue += html.slice(start, end);
    },
    onattribentity(codepoint) {
      if (attrs) attrValue += String.fromCodePoint(codepoint);
    },
    onattribend() {
      if (attrs && !attrs.has(attrName)) attrs.set(attrName, attrValue);
    },
    onopentagend() {
      endOfStartTag(false);
    },
    onselfclosingtag() {
      endOfStartTag(true);
    },
    onclosetag(start, end) {
      const name = html.slice(start, end).toLowerCase();
      const floor = Math.max(0, stack.length - CLOSE_SEARCH);
      for (let i = stack.length - 1; i >= floor; i--) {
        if (stack[i] === name) {
          stack.length = i;
          break;
        }
      }
      if (name === 'script' && script) {
        out.scripts.push(script);
        script = undefined;
      }
    },
    ontext(start, end) {
      if (script) script.text += html.slice(start, end);
    },
    ontextentity() {},
    oncdata() {},
    oncomment() {},
    ondeclaration() {},
    onprocessinginstruction() {},
    onend() {
      if (script) out.scripts.push(script);
    },
  };
  const tokenizer = new Tokenizer({ xmlMode: false, decodeEntities: true }, cbs);
  tokenizer.write(html);
  if (!out.truncated) tokenizer.end();
  return out;
}
