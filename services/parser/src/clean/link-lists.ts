import type { ParserSettings } from '../settings';
import { countChars, endsSentence } from '../text/chars';
import { remove, type Cleaning, type Item } from './items';
import { features, overlap, type Features } from './overlap';

/** A plain-text list line: `- item`, `• item`, `1 item`, `1. item`. */
export const LIST_LINE = /^\s*(?:[-–—•·*●◆■▪►]\s*|\d{1,2}\s+|\d{1,2}[.、)）]\s*)(?=\S)/;

/** Ids given to plain-text lists start here, above any HTML list's. */
const TEXT_LIST_IDS = 100000;

/** Plain text has no list markup: three or more consecutive list lines are a list. */
export function markTextLists(items: Item[]): void {
  let id = TEXT_LIST_IDS;
  for (let i = 0; i < items.length;) {
    let j = i;
    while (
      j < items.length &&
      items[j]!.listId === null &&
      items[j]!.kind === 'p' &&
      LIST_LINE.test(items[j]!.text)
    )
      j++;
    if (j - i >= 3) {
      id++;
      for (let k = i; k < j; k++) items[k]!.listId = id;
    }
    i = Math.max(j, i + 1);
  }
}

/** What judging a list needs to know of it. */
interface ListShape {
  medianOverlap: number;
  offTopicShare: number;
  linkedShare: number;
  headlineShare: number;
  repeatShare: number;
  averageChars: number;
}

/** An item without its list marker, reduced to its first letters and digits: what a repeat keeps. */
function itemKey(text: string): string {
  return text
    .replace(LIST_LINE, '')
    .replace(/[^\p{L}\p{N}]/gu, '')
    .slice(0, 12);
}

function shapeOf(
  members: Item[],
  body: Features,
  spamKeys: Set<string>,
  keyOf: (it: Item) => string,
  s: ParserSettings['clean']['lists'],
): ListShape {
  const share = (f: (m: Item) => boolean) => members.filter(f).length / members.length;
  const scores = members.map((m) => overlap(features(m.text.replace(LIST_LINE, '')), body));
  const sorted = [...scores].sort((a, b) => a - b);
  return {
    medianOverlap: sorted[Math.floor(sorted.length / 2)] ?? 0,
    offTopicShare: scores.filter((x) => x < s.offTopicOverlap).length / scores.length,
    linkedShare: share((m) => m.linkDensity > s.itemLinkedDensity),
    headlineShare: share((m) => !endsSentence(m.text) && m.text.length <= s.headlineMaxChars),
    repeatShare: share((m) => spamKeys.has(keyOf(m))),
    averageChars: members.reduce((n, m) => n + countChars(m.text), 0) / members.length,
  };
}

type Verdict = 'navigation' | 'spam' | 'related' | 'content';

function judge(members: Item[], shape: ListShape, s: ParserSettings['clean']['lists']): Verdict {
  // A list of short links is a menu, not a list of headlines.
  if (shape.linkedShare >= s.linkedShare && shape.averageChars < s.menuMaxAverageChars) return 'navigation';
  const spam =
    shape.medianOverlap < s.spamMedianOverlap ||
    (shape.offTopicShare >= s.spamOffTopicShare && shape.headlineShare >= s.headlineShare) ||
    shape.repeatShare >= s.spamRepeatShare;
  if (members.length >= 2 && spam) return 'spam';
  if (shape.linkedShare >= s.linkedShare && shape.headlineShare >= s.headlineShare) return 'related';
  return 'content';
}

function listsOf(items: Item[]): Item[][] {
  const lists = new Map<number, Item[]>();
  for (const it of items) {
    if (it.listId === null || it.removed) continue;
    const members = lists.get(it.listId);
    if (members) members.push(it);
    else lists.set(it.listId, [it]);
  }
  return [...lists.values()];
}

/**
 * Step 4, link lists, judged by their topical overlap with the body (shared Han bigrams and English
 * words): unrelated headlines are spam (`spamLinks`, their words kept as spam-term evidence), short
 * link menus navigation, linked on-topic headlines a related-links box; other lists are content.
 * Numbered hot lists that repeat a spam list's headlines go with it.
 */
export function judgeLinkLists(c: Cleaning, settings: ParserSettings['clean']): void {
  const s = settings.lists;
  const lists = listsOf(c.items);
  if (lists.length === 0) return;
  const body = features(
    c.items
      .filter((i) => !i.removed && i.listId === null && (i.kind === 'p' || i.kind === 'table'))
      .filter((i) => countChars(i.text) >= s.bodyMinChars)
      .map((i) => i.text)
      .join('\n'),
  );
  const spamKeys = new Set<string>();
  // An item's key is read several times (its list, then the hot lists that repeat it): once each.
  const keys = new Map<Item, string>();
  const keyOf = (it: Item): string => {
    let k = keys.get(it);
    if (k === undefined) keys.set(it, (k = itemKey(it.text)));
    return k;
  };
  for (const members of lists) {
    const verdict = judge(members, shapeOf(members, body, spamKeys, keyOf, s), s);
    if (verdict === 'content') continue;
    for (const m of members) {
      if (verdict !== 'spam') remove(m, 'boilerplate', verdict);
      else {
        remove(m, 'spamLinks', 'unrelated-headlines');
        spamKeys.add(keyOf(m));
        c.evidence.push(...evidenceWords(m.text, settings));
      }
    }
  }
  for (const it of c.items) {
    if (!it.removed && spamKeys.size && LIST_LINE.test(it.text) && spamKeys.has(keyOf(it)))
      remove(it, 'spamLinks', 'unrelated-headlines');
  }
}

/** The words of a spam line or a sidebar that may be injected terms. */
export function evidenceWords(text: string, s: ParserSettings['clean']): string[] {
  return text
    .split(/[\s,，、;；|:：!！?？。]+/)
    .filter((w) => w.length >= s.evidenceWordMinChars && w.length <= s.evidenceWordMaxChars);
}
