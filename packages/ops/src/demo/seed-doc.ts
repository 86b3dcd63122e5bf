import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { findDate } from '@govwire/parser/meta/dates';

/** A seed document as the templates need it: the text's own lines, debris and all. */
export interface SeedDoc {
  id: string;
  title: string;
  /** `YYYY-MM-DD` or null. */
  date: string | null;
  source: string | null;
  /** Every other non-empty line of the text, in order (mirror chrome, credits and spam included). */
  paragraphs: string[];
}

/**
 * Reads a seed `.txt` into {title, date, source, paragraphs} with plain rules (no parser involved,
 * so fixtures do not depend on the code they test): the title is the first line of 5 to 100
 * characters near the top that is not a sentence; the info line is a short line with a date.
 */
export function seedFromText(text: string, id = 'seed'): SeedDoc {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  let title = '';
  let titleIdx = -1;
  for (let i = 0; i < Math.min(4, lines.length); i++) {
    const l = lines[i]!;
    if (l.length >= 5 && l.length <= 100 && !/[。.]$/.test(l) && !findDate(l)) {
      title = l;
      titleIdx = i;
      break;
    }
  }
  let date: string | null = null;
  let source: string | null = null;
  let infoIdx = -1;
  for (let i = 0; i < Math.min(6, lines.length); i++) {
    const l = lines[i]!;
    const d = l.length <= 60 ? findDate(l) : null;
    if (d) {
      date = d;
      infoIdx = i;
      const before = l.split(/\s+/).filter((w) => !/\d{4}/.test(w));
      source = before[before.length - 1] ?? null;
      break;
    }
  }
  const paragraphs = lines.filter((_l, i) => i !== titleIdx && i !== infoIdx);
  if (!title) {
    const first = paragraphs[0] ?? '';
    title = /^(.{4,40}?)[,，。]/.exec(first)?.[1] ?? first.slice(0, 30);
  }
  return { id, title, date, source, paragraphs };
}

export function loadSeed(path: string): SeedDoc {
  return seedFromText(readFileSync(path, 'utf8'), basename(path).replace(/\.txt$/, ''));
}
