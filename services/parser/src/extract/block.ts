/** A unit of text the cleaning rules judge one at a time: a paragraph, heading, list item, table or line. */
export type BlockKind = 'p' | 'heading' | 'li' | 'table' | 'caption' | 'pre';

export interface Block {
  text: string;
  kind: BlockKind;
  /** Share of the block's characters that sit inside links (0 for plain text). */
  linkDensity: number;
  /** Blocks of the same list (HTML ul/ol, or consecutive "- " lines in text) share an id. */
  listId: number | null;
  /** The element's class/id words, lower-cased (HTML only): a caption or tag cloud names itself. */
  hint: string;
  /** Blank lines (text) or a layout gap (HTML) before this block. */
  gapBefore: number;
}

export function makeBlock(text: string, kind: BlockKind, extra: Partial<Block> = {}): Block {
  return { text, kind, linkDensity: 0, listId: null, hint: '', gapBefore: 0, ...extra };
}
