import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { RequiredCharIndex } from './required-chars';

const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

const ruleSchema = z.object({
  category: z.string().min(1),
  lang: z.enum(['zh-Hans', 'zh-Hant', 'en']),
  pattern: z.string().min(1),
  kind: z.enum(['line', 'inline']).default('line'),
  max: z.number().int().positive().default(60),
});
const boilerplateFileSchema = z.object({ rules: z.array(ruleSchema).min(1) });
const spamTermsFileSchema = z.object({ terms: z.array(z.string().min(1)) });

export interface BoilerplateRule {
  category: string;
  lang: string;
  kind: 'line' | 'inline';
  max: number;
  re: RegExp;
}

export interface Rules {
  line: BoilerplateRule[];
  inline: BoilerplateRule[];
  spamTerms: string[];
}

function compile(pattern: string, flags: string, where: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw new Error(`${where}: bad pattern ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

/** Parses and validates rule files' contents; every bad rule is named in the error. */
export function buildRules(boilerplateYaml: string, spamTermsYaml: string): Rules {
  const bp = boilerplateFileSchema.parse(parseYaml(boilerplateYaml));
  const st = spamTermsFileSchema.parse(parseYaml(spamTermsYaml));
  const line: BoilerplateRule[] = [];
  const inline: BoilerplateRule[] = [];
  bp.rules.forEach((r, i) => {
    const rule = { ...r, re: compile(r.pattern, r.kind === 'inline' ? 'gi' : 'i', `boilerplate rule ${i}`) };
    (r.kind === 'inline' ? inline : line).push(rule);
  });
  return { line, inline, spamTerms: [...new Set(st.terms.map((t) => t.trim()).filter(Boolean))] };
}

let cached: Rules | null = null;

/** The shipped rule files, read and validated once (on first use, so importing stays side-effect free). */
export function defaultRules(): Rules {
  cached ??= buildRules(
    readFileSync(`${DATA_DIR}boilerplate.yaml`, 'utf8'),
    readFileSync(`${DATA_DIR}spam-terms.yaml`, 'utf8'),
  );
  return cached;
}

/**
 * The rules' required-character index (line rules first, then inline ones) and longest `max` of
 * each kind, built on first use and kept with the rules object (the same for every page; tests
 * may build their own). The last scan is remembered: stripInline and matchBoilerplate usually
 * see the same text one after the other, and one scan serves both.
 */
interface RulesIndex {
  line: BoilerplateRule[];
  inline: BoilerplateRule[];
  chars: RequiredCharIndex;
  lineMax: number;
  inlineMax: number;
  lastText: string | null;
  lastScan: number;
}
const indexes = new WeakMap<Rules, RulesIndex>();
function indexFor(rules: Rules): RulesIndex {
  let index = indexes.get(rules);
  if (!index || index.line !== rules.line || index.inline !== rules.inline) {
    const longest = (list: BoilerplateRule[]) => list.reduce((n, r) => Math.max(n, r.max), 0);
    index = {
      line: rules.line,
      inline: rules.inline,
      chars: new RequiredCharIndex([...rules.line, ...rules.inline].map((r) => r.re)),
      lineMax: longest(rules.line),
      inlineMax: longest(rules.inline),
      lastText: null,
      lastScan: 0,
    };
    indexes.set(rules, index);
  }
  return index;
}
function scan(index: RulesIndex, text: string): number {
  if (text !== index.lastText) {
    index.lastScan = index.chars.scan(text);
    index.lastText = text;
  }
  return index.lastScan;
}

/**
 * The first line rule that removes this block, if any. Some sixty regexes per block were a fifth of
 * the cleaning: one scan of the block now says which rules can match at all (see required-chars),
 * and only those are tested, still in order.
 */
export function matchBoilerplate(rules: Rules, block: string): BoilerplateRule | null {
  const len = block.length;
  const index = indexFor(rules);
  if (len > index.lineMax) return null;
  const round = scan(index, block);
  if (!index.chars.anyPossible) return null;
  const line = rules.line;
  for (let i = 0; i < line.length; i++) {
    const r = line[i]!;
    if (len <= r.max && index.chars.mayMatch(i, round) && r.re.test(block)) return r;
  }
  return null;
}

/** Cuts inline boilerplate fragments out of a block; returns the rest and what was cut. */
export function stripInline(rules: Rules, block: string): { text: string; cut: string[] } {
  const cut: string[] = [];
  let text = block;
  const index = indexFor(rules);
  if (block.length > index.inlineMax) return { text, cut };
  const round = scan(index, block);
  if (!index.chars.anyPossible) return { text, cut };
  const first = rules.line.length;
  for (let i = 0; i < rules.inline.length; i++) {
    const r = rules.inline[i]!;
    if (block.length > r.max) continue;
    // The scan read the block; once a cut has put a space in, the text is no longer the block.
    if (text === block && !index.chars.mayMatch(first + i, round)) continue;
    r.re.lastIndex = 0;
    text = text.replace(r.re, (m) => {
      if (m.trim()) cut.push(m.trim());
      return ' ';
    });
  }
  return { text: cut.length ? text.replace(/\s+/g, ' ').trim() : text, cut };
}
