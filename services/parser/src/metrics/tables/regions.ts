import type { Metric } from '@govwire/shared';
import type { Context } from '../candidate';
import type { IndicatorDef } from '../data';
import { regionMentions } from '../regions';
import type { Column } from './columns';
import type { Grid } from './grid';
import { cleanLabel } from './labels';
import { rowMetrics, type RowContext } from './rows';

/**
 * Tables with one row per region (`地区 | 地区生产总值 总量 增长 | 居民人均可支配收入 总量 增长`): the
 * row label is a region of the gazetteer, or 全市/全县/合计 for the region the title names; each
 * column's indicator comes from its header.
 */

const WHOLE = /^(?:全省|全市|全县|全区|合计|总计|全市合计|全县合计|全区合计)$/;

function exactRegion(ctx: Context, label: string): string | null {
  const english = /[a-z]/i.test(label);
  const found = english ? ctx.data.enRegionNames.findAllWords(label) : ctx.data.zhRegionNames.findAll(label);
  const m = found[0];
  return found.length === 1 && m && m.start === 0 && m.end === label.length
    ? (m.phrase.indicators[0] ?? null)
    : null;
}

/** The region 全市, 全县 or 合计 stands for: the first of the title's regions at that level. */
function wholeRegion(ctx: Context, word: string, texts: string[]): string | null {
  if (word === '全省') return '浙江省';
  const levels = word.includes('市')
    ? ['city', 'county_city']
    : word.includes('县') || word.includes('区')
      ? ['county', 'district', 'county_city']
      : null;
  for (const t of texts) {
    for (const m of regionMentions(ctx.data, t)) {
      const level = ctx.data.regions.get(m.region)?.level;
      if (level && (levels === null || levels.includes(level))) return m.region;
    }
  }
  return null;
}

/** Per data row, its region, when most rows are regions; else null (a table of indicator rows). */
export function regionRows(
  ctx: Context,
  grid: Grid,
  columns: Column[],
  texts: string[],
): (string | null)[] | null {
  const label = columns.find((c) => c.role === 'label')?.index ?? 0;
  const regions = grid.rows.map((row) => {
    const text = cleanLabel(row.cells[label] ?? '', ctx.data.tables.labelNoise).text;
    return WHOLE.test(text) ? wholeRegion(ctx, text, texts) : exactRegion(ctx, text);
  });
  const named = regions.filter((r) => r !== null).length;
  return named >= 2 && named * 2 >= grid.rows.length ? regions : null;
}

function columnIndicator(ctx: Context, col: Column): IndicatorDef | null {
  for (const part of col.parts) {
    const text = cleanLabel(part, ctx.data.tables.labelNoise).text;
    const english = /[a-z]/i.test(text);
    const found = english ? ctx.data.enPhrases.findAllWords(text) : ctx.data.zhPhrases.findAll(text);
    const m = found[0];
    if (found.length !== 1 || !m || m.start !== 0 || m.end !== text.length) continue;
    if (m.phrase.indicators.length !== 1) continue;
    const def = ctx.data.indicators.get(m.phrase.indicators[0] ?? '');
    if (def) return def;
  }
  return null;
}

export function regionRowMetrics(
  ctx: Context,
  grid: Grid,
  regions: (string | null)[],
  rc: RowContext,
): Metric[] {
  const groups = new Map<string, { def: IndicatorDef; columns: Column[] }>();
  for (const col of rc.columns) {
    if (col.role !== 'value' && col.role !== 'change') continue;
    const def = columnIndicator(ctx, col);
    if (!def) continue;
    const g = groups.get(def.code) ?? { def, columns: [] };
    g.columns.push(col);
    groups.set(def.code, g);
  }
  const out: Metric[] = [];
  grid.rows.forEach((row, i) => {
    const region = regions[i];
    if (!region) return;
    for (const { def, columns } of groups.values()) {
      out.push(...rowMetrics(row, def, { unit: null, growth: false }, { ...rc, columns, region }));
    }
  });
  return out;
}
