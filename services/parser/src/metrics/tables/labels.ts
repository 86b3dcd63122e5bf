import type { Unit } from '@govwire/shared';
import type { IndicatorDef, MetricsData, PhraseIndex } from '../data';
import { headerUnit } from './columns';

/**
 * A row label read as a statistician reads it: numbering, 其中 and indentation stripped, a unit in
 * parentheses taken as the row's unit (居民人均可支配收入（元）), a growth suffix (固定资产投资增速)
 * marking a row of changes. The rest must be, exactly, a synonym in the indicator dictionary; a
 * sub-row (其中：城镇居民) may also complete its parent's label (城镇居民 + 人均可支配收入).
 */

export interface RowLabel {
  indicator: IndicatorDef;
  /** Unit in the label's parentheses, which overrides the table's. */
  unit: string | null;
  /** The row's figures are growth rates (固定资产投资增速 | % | 5.1). */
  growth: boolean;
}

const NUMBERING = /^(?:[((]?[一二三四五六七八九十\d]{1,3}[))、.．]|[((][一二三四五六七八九十\d]{1,3}[))])\s*/;
const GROWTH_SUFFIX = /(?:增速|增幅|增长率|增长|同比增长|growth(?: rate)?)$/i;
const SUB_ROW = /^\s*(?:其中|of which|including)\s*[::]?/i;

function exact(index: PhraseIndex, label: string, english: boolean): string | null {
  const found = english ? index.findAllWords(label) : index.findAll(label);
  const m = found[0];
  if (found.length !== 1 || !m || m.start !== 0 || m.end !== label.length) return null;
  return m.phrase.indicators.length === 1 ? (m.phrase.indicators[0] ?? null) : null;
}

/** The label's core text, its unit and whether it is a sub-row. */
export function cleanLabel(
  raw: string,
  noise: readonly string[],
): { text: string; unit: string | null; sub: boolean; growth: boolean } {
  let text = raw.replace(/[\s\u3000]+/g, ' ').trim();
  const sub = SUB_ROW.test(text);
  text = text.replace(SUB_ROW, '').replace(NUMBERING, '');
  for (const n of noise) if (text.startsWith(n)) text = text.slice(n.length);
  let unit = headerUnit(text);
  if (unit !== null) text = text.replace(/[((][^()()]*[))]\s*$/, '');
  const growth = GROWTH_SUFFIX.test(text.trim());
  if (growth) {
    text = text.trim().replace(GROWTH_SUFFIX, '');
    if (unit === null) unit = '%';
  }
  text = text.trim();
  // Chinese labels carry no spaces of their own (社会消费品 零售总额 is a wrapped cell).
  if (!/[a-z]/i.test(text)) text = text.replace(/ /g, '');
  return { text, unit, sub, growth };
}

/** Parent labels lose their 全体/居民 head when a sub-row completes them (城镇 + 居民人均可支配收入). */
function completions(sub: string, parent: string | null): string[] {
  if (parent === null || /[a-z]/i.test(sub)) return [];
  const tails = [parent, parent.replace(/^(?:全体|常住)?居民/, '')];
  return tails.filter((t) => t !== '' && !t.startsWith(sub)).map((t) => sub + t);
}

/**
 * The row's indicator: its label exactly, or else (a sub-row whose indentation the page lost, or
 * one after 其中) the label completing its parent's. `parentable` says whether later rows may
 * complete this one's label: not a sub-row, not itself a completion.
 */
export function readLabel(
  data: MetricsData,
  raw: string,
  parent: string | null,
): { label: RowLabel | null; text: string; parentable: boolean } {
  const c = cleanLabel(raw, data.tables.labelNoise);
  const english = /[a-z]/i.test(c.text);
  const index = english ? data.enPhrases : data.zhPhrases;
  const candidates = [c.text, ...completions(c.text, parent)];
  for (const [k, cand] of candidates.entries()) {
    const code = exact(index, english ? cand.toLowerCase() : cand, english);
    const def = code === null ? undefined : data.indicators.get(code);
    if (def)
      return {
        label: { indicator: def, unit: c.unit, growth: c.growth },
        text: c.text,
        parentable: !c.sub && k === 0,
      };
  }
  return { label: null, text: c.text, parentable: !c.sub };
}

export type { Unit };
