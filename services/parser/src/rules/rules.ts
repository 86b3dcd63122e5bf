import { readFileSync } from 'node:fs';
import { load as parseYaml } from 'js-yaml';
import { z } from 'zod';

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

/** One kind of rule (line or inline), with the alternation of all of them that screens a block. */
export interface RuleSet {
  rules: BoilerplateRule[];
  /**
   * Every rule's pattern as one alternation: a block it does not match (most blocks) matches no
   * rule, and the regex engine settles that in one search instead of one per rule.
   */
  any: RegExp;
  /** The longest `max` of the set: longer blocks are never tested. */
  max: number;
}

export interface Rules {
  line: RuleSet;
  inline: RuleSet;
  /** The shipped spam terms (data/spam-terms.yaml), trimmed and deduplicated. */
  spamTerms: string[];
}

function compile(pattern: string, flags: string, where: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw new Error(`${where}: bad pattern ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

function ruleSet(rules: BoilerplateRule[], kind: string): RuleSet {
  const any = rules.length
    ? compile(rules.map((r) => `(?:${r.re.source})`).join('|'), 'i', `the ${kind} rules together`)
    : /[^\s\S]/;
  return { rules, any, max: rules.reduce((n, r) => Math.max(n, r.max), 0) };
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
  return {
    line: ruleSet(line, 'line'),
    inline: ruleSet(inline, 'inline'),
    spamTerms: [...new Set(st.terms.map((t) => t.trim()).filter(Boolean))],
  };
}

/** The rule files of a data directory, read and validated. */
export function loadRules(dataDir: string): Rules {
  return buildRules(
    readFileSync(`${dataDir}boilerplate.yaml`, 'utf8'),
    readFileSync(`${dataDir}spam-terms.yaml`, 'utf8'),
  );
}

/** The first line rule (in file order) that removes this block, if any. */
export function matchBoilerplate(rules: Rules, block: string): BoilerplateRule | null {
  const { line } = rules;
  if (block.length > line.max || !line.any.test(block)) return null;
  return line.rules.find((r) => block.length <= r.max && r.re.test(block)) ?? null;
}

/** Cuts inline boilerplate fragments out of a block; returns the rest and what was cut. */
export function stripInline(rules: Rules, block: string): { text: string; cut: string[] } {
  const { inline } = rules;
  if (block.length > inline.max || !inline.any.test(block)) return { text: block, cut: [] };
  const cut: string[] = [];
  let text = block;
  for (const r of inline.rules) {
    if (block.length > r.max) continue;
    r.re.lastIndex = 0;
    text = text.replace(r.re, (m) => {
      if (m.trim()) cut.push(m.trim());
      return ' ';
    });
  }
  return { text: cut.length ? text.replace(/\s+/g, ' ').trim() : text, cut };
}
