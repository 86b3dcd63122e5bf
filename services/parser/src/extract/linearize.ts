import type { ParserSettings } from '../settings';
import { collapseSpaces, countChars, endsSentence } from '../text/chars';
import { makeBlock, type Block, type BlockKind } from './block';
import { NEEDS_DISPLAY } from './char-classes';
import { ELEMENT, ROOT, TEXT, type DomNode } from './dom';
import { dataTableRows, tableCaption } from './table';
import { CAPTION_HINT, HEADINGS, ROLE_BLOCK } from './tags';
import { displayOf } from './text';

/** What a block element sets for the blocks inside it, restored when it ends. */
interface BlockState {
  kind: BlockKind;
  listId: number | null;
  hint: string;
}

/**
 * Flattens the chosen subtrees into blocks, in document order: text gathers in a buffer that each
 * block boundary flushes (a `<br>` ends a line within it); headings, list items, captions and
 * preformatted text give their kind to the blocks inside them; a data table becomes one block.
 */
class Linearizer {
  readonly out: Block[] = [];
  private buf = '';
  /** countChars(buf), summed as text is added. */
  private bufChars = 0;
  /** Whether buf holds a line break: only a br adds one (display text has none). */
  private bufLines = false;
  /** Whether buf ends with a space (see text.ts). */
  private bufEndsWithSpace = false;
  private linkChars = 0;
  private linkDepth = 0;
  private state: BlockState = { kind: 'p', listId: null, hint: '' };
  private readonly listIds = new Map<DomNode, number>();
  private lastWasImage = false;
  /** Elements whose end the walk must still handle (blocks and links), innermost last. */
  private readonly openNodes: Array<{ node: DomNode; restore: BlockState | null }> = [];

  constructor(
    private readonly all: DomNode[],
    private readonly settings: ParserSettings['extract'],
  ) {}

  run(root: DomNode): void {
    for (let i = root.pos; i < root.end;) {
      this.closeUntil(i);
      const n = this.all[i]!;
      if (!n.kept) i = n.end;
      else if (n.kind === TEXT) {
        this.addText(n);
        i++;
      } else if (n.kind === ELEMENT || n.kind === ROOT) i = this.element(n);
      else i++;
    }
    this.closeUntil(root.end);
    this.flush();
  }

  /** Handles an element; returns the next position (past the subtree when it is consumed whole). */
  private element(n: DomNode): number {
    if (n.name === 'br') {
      this.buf += '\n';
      this.bufLines = true;
      this.bufEndsWithSpace = false;
      return n.end;
    }
    if (n.name === 'img') {
      if (this.bufChars === 0) this.lastWasImage = true;
      return n.end;
    }
    if (n.name === 'table') {
      const rows = dataTableRows(this.all, n, this.settings);
      if (rows) {
        this.flush();
        // The caption says what the table is (越城区2024年10月主要经济指标): a paragraph before it.
        const caption = tableCaption(this.all, n);
        if (caption) this.out.push(makeBlock(caption, 'p', { hint: n.hint }));
        this.out.push(makeBlock(rows.map((r) => r.join('\t')).join('\n'), 'table', { hint: n.hint }));
        this.lastWasImage = false;
        return n.end;
      }
    }
    const restore = n.role & ROLE_BLOCK ? this.openBlock(n) : null;
    if (n.name === 'a') this.linkDepth++;
    if (n.name === 'a' || restore) this.openNodes.push({ node: n, restore });
    return n.pos + 1;
  }

  /** A block element starts: what is buffered is a block, and the element sets the kind of what follows. */
  private openBlock(n: DomNode): BlockState {
    this.flush();
    const prev = this.state;
    const h = n.hint || prev.hint;
    let { kind, listId } = prev;
    if (HEADINGS.has(n.name)) kind = 'heading';
    else if (n.name === 'li' || n.name === 'dt' || n.name === 'dd') {
      kind = 'li';
      listId = this.listIdOf(n.parent ?? n);
    } else if (n.name === 'figcaption' || (n.hint && CAPTION_HINT.test(n.hint))) kind = 'caption';
    else if (n.name === 'pre') kind = 'pre';
    else if (kind !== 'li' && kind !== 'caption' && kind !== 'heading') kind = 'p';
    this.state = { kind, listId, hint: h };
    return prev;
  }

  private listIdOf(list: DomNode): number {
    let id = this.listIds.get(list);
    if (id === undefined) {
      id = this.listIds.size + 1;
      this.listIds.set(list, id);
    }
    return id;
  }

  private closeUntil(pos: number): void {
    const open = this.openNodes;
    while (open.length && open[open.length - 1]!.node.end <= pos) {
      const { node, restore } = open.pop()!;
      if (node.name === 'a') this.linkDepth--;
      if (restore) {
        this.flush();
        this.state = restore;
      }
    }
  }

  private addText(n: DomNode): void {
    const t = displayOf(n);
    // displayOf returned the text itself, or a space, unless it needed displayText.
    const chars = n.flags & NEEDS_DISPLAY ? countChars(t) : n.chars;
    if (t !== '') {
      this.buf += this.bufEndsWithSpace && t.charCodeAt(0) === 0x20 ? t.slice(1) : t;
      this.bufEndsWithSpace = t.charCodeAt(t.length - 1) === 0x20;
    }
    this.bufChars += chars;
    if (this.linkDepth > 0) this.linkChars += chars;
  }

  /** The buffered text as blocks (one per line), then an empty buffer. */
  private flush(): void {
    if (this.buf !== '') {
      const { kind, listId, hint } = this.state;
      const linkDensity = this.bufChars ? Math.min(1, this.linkChars / this.bufChars) : 0;
      for (const raw of this.bufLines ? this.buf.split('\n') : [this.buf]) {
        const text = collapseSpaces(raw);
        if (!text) continue;
        // A short line right after a picture is its caption.
        const caption =
          kind === 'p' &&
          this.lastWasImage &&
          text.length <= this.settings.imageCaptionMaxChars &&
          !endsSentence(text);
        this.out.push(makeBlock(text, caption ? 'caption' : kind, { linkDensity, listId, hint }));
        this.lastWasImage = false;
      }
    }
    this.buf = '';
    this.bufChars = 0;
    this.bufLines = false;
    this.bufEndsWithSpace = false;
    this.linkChars = 0;
  }
}

/** The blocks of the chosen subtrees, in document order. */
export function linearize(all: DomNode[], roots: DomNode[], settings: ParserSettings['extract']): Block[] {
  const l = new Linearizer(all, settings);
  for (const r of roots) l.run(r);
  return l.out;
}
