import type { Block, BlockKind } from '../extract/block';
import type { BoilerplateRule } from '../rules/rules';

export type Bucket = 'boilerplate' | 'spamLinks' | 'spamTerms';
export interface RemovedItem {
  bucket: Bucket;
  category: string;
  text: string;
}

/** A block as the cleaning steps see it: its normalized text, and why it was removed, once it is. */
export interface Item extends Block {
  removed: RemovedItem | null;
  /** The line rule that removes this block (tables are never matched), found when it was normalized. */
  boilerplate: BoilerplateRule | null;
}

/** What the steps share besides the items: evidence for spam terms, cut fragments, warnings. */
export interface Cleaning {
  items: Item[];
  mode: 'html' | 'text';
  /** Words the page itself marks as suspect (keyword lines, tag lists, spam lists, sidebars). */
  evidence: string[];
  /** Fragments cut out of blocks (inline chrome, leaked markup), in order. */
  cuts: RemovedItem[];
  /** Leaked markup fragments (their bucket is decided once spam lists are known). */
  markup: string[];
  warnings: string[];
}

/** Marks an item removed (the first reason given stands). */
export function remove(it: Item, bucket: Bucket, category: string): void {
  if (!it.removed) it.removed = { bucket, category, text: it.text };
}

/** The items not removed so far, in order. */
export function live(items: Item[]): Item[] {
  return items.filter((i) => !i.removed);
}

export function makeItem(text: string, kind: BlockKind, extra: Partial<Item> = {}): Item {
  return {
    text,
    kind,
    linkDensity: 0,
    listId: null,
    hint: '',
    gapBefore: 0,
    removed: null,
    boilerplate: null,
    ...extra,
  };
}
