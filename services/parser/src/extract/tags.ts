/** What extraction knows of tag names and of class/id words. */

export const DROP_TAGS = new Set([
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
export const CHROME_TAGS = new Set(['nav', 'aside', 'footer']);
export const BLOCK_TAGS = new Set(
  (
    'p div section article main header footer aside nav h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody ' +
    'tfoot tr td th blockquote pre figure figcaption address center form fieldset hr body html caption'
  ).split(' '),
);
export const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Elements collectMeta reads even without a class or id. */
export const META_ELEMENTS = new Set(['meta', 'title', 'h1', 'h2', 'link', 'html', 'time']);

/** DomNode.role bits: what a tag name is, looked up once per element. */
export const ROLE_DROP = 1;
export const ROLE_CHROME = 2;
export const ROLE_BLOCK = 4;
export const ROLE_META = 8;

/** The role bits of every tag name that has any (a constant: sixty names). */
const TAG_ROLES: ReadonlyMap<string, number> = new Map(
  [...DROP_TAGS, ...CHROME_TAGS, ...BLOCK_TAGS, ...META_ELEMENTS].map((name) => [
    name,
    (DROP_TAGS.has(name) ? ROLE_DROP : 0) |
      (CHROME_TAGS.has(name) ? ROLE_CHROME : 0) |
      (BLOCK_TAGS.has(name) ? ROLE_BLOCK : 0) |
      (META_ELEMENTS.has(name) ? ROLE_META : 0),
  ]),
);

export function roleOf(name: string): number {
  return TAG_ROLES.get(name) ?? 0;
}

export const CAPTION_HINT =
  /(caption|pic(ture)?-?(text|title|desc|info)|img-?(desc|title|text)|photo-?(text|desc)|figure|tupian|tuzhu|imgtitle)/i;
export const NEGATIVE_HINT =
  /(comment|footer|foot|sidebar|side-?bar|widget|related|recommend|share|breadcrumb|crumb|nav|menu|banner|advert|\bad\b|ads|hot|rank|tags?\b|keyword|copyright|friend-?link|links)/i;
export const POSITIVE_HINT =
  /(article|content|entry|post|main|body|text|detail|zoom|con\b|TRS_Editor|news|wenzhang|zhengwen)/i;
export const TAG_HINT = /(tag|keyword|label|topic)/i;
export const INFO_HINT = /(info|date|time|pub|source|laiyuan|meta|byline|author|attr|xinxi)/i;

const HIDDEN_CLASS = /(^|\s)(hidden|hide|d-none|sr-only|visually-hidden|screen-reader-text|invisible)(\s|$)/i;
/** Styles (whitespace removed) that hide an element for good: no display, no size, off-screen. */
const HIDDEN_STYLE =
  /(display:none|(^|;)(width|height):0(px|em|%)?(;|$)|font-size:0(px)?(;|$)|(^|;)(left|top|text-indent|margin-left|margin-top):-\d{3,}(\.\d+)?(px|em)?(;|$))/i;
/** Styles that hide an element a script may reveal (WeChat hides its article until it has loaded). */
const INVISIBLE_STYLE = /(visibility:hidden|(^|;)opacity:0(\.0+)?(;|$))/i;

/**
 * Whether an element is hidden: the `hidden` attribute, aria-hidden, a hiding class, or a style that
 * takes it off the page. An element made only invisible (visibility, opacity) whose class or id
 * names it the content is not hidden: pages such as WeChat's reveal their article by script
 * (`<div id="js_content" style="visibility: hidden; opacity: 0;">`). Link farms hide with
 * display:none or off-screen positions, which stay hidden whatever the element is called.
 */
export function isHidden(a: Record<string, string>): boolean {
  if ('hidden' in a) return true;
  if ((a['aria-hidden'] ?? '').toLowerCase() === 'true') return true;
  if ((a.type ?? '').toLowerCase() === 'hidden') return true;
  if (a.class && HIDDEN_CLASS.test(a.class)) return true;
  if (!a.style) return false;
  const style = a.style.replace(/\s+/g, '');
  if (HIDDEN_STYLE.test(style)) return true;
  return INVISIBLE_STYLE.test(style) && !POSITIVE_HINT.test(`${a.class ?? ''} ${a.id ?? ''}`);
}
