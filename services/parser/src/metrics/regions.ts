import type { MetricsData, PhraseMatch, Region } from './data';
import { matchingText } from './text';

/**
 * The article's subject region (the one 我区, 全区, 全县, "the district" refer to), from the title,
 * the source and the first mentions in the text, and the region a clause names explicitly.
 */

/** Mentions of gazetteer regions in simplified or English text. */
export function regionMentions(
  data: MetricsData,
  s: string,
): { start: number; end: number; region: string }[] {
  const zh = data.zhRegionNames.findAll(s);
  const en = /[A-Za-z]/.test(s) ? data.enRegionNames.findAllWords(s) : [];
  // Each list is in order of position: merged, ties to the Chinese one (as a stable sort would).
  const merged = en.length === 0 ? zh : zh.length === 0 ? en : [];
  if (merged !== zh && merged !== en) {
    let b = 0;
    for (const m of zh) {
      while (b < en.length && (en[b]?.start ?? 0) < m.start) merged.push(en[b++] as PhraseMatch);
      merged.push(m);
    }
    while (b < en.length) merged.push(en[b++] as PhraseMatch);
  }
  const out: { start: number; end: number; region: string }[] = [];
  for (const m of merged) {
    const region = m.phrase.indicators[0] ?? '';
    if (region !== '') out.push({ start: m.start, end: m.end, region });
  }
  return out;
}

function isAncestor(data: MetricsData, ancestor: string, of: string): boolean {
  let cur = data.regions.get(of)?.parent ?? null;
  while (cur !== null) {
    if (cur === ancestor) return true;
    cur = data.regions.get(cur)?.parent ?? null;
  }
  return false;
}

/**
 * The words between a region and a larger one that only locate it: "in", ", an island county in",
 * ", a county-level city in western", ", located in the south of", 位于, 地处, 隶属于.
 */
const PLACING_GAP =
  /^\s*(?:,?\s*(?:(?:an?|the|one of the)\s+[a-z\s-]{0,40}?\s+)?(?:(?:located|situated|lying|nestled)\s+)?(?:in|of)\s+(?:the\s+)?(?:(?:north|south|east|west|central|middle|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+(?:part\s+of\s+)?)?|,|,?(?:是|为)?(?:位于|地处|隶属于?|坐落于|地属))\s*$/i;

/**
 * Region mentions less those that only place the one before them: in "Haishu District in Ningbo",
 * "Anji County in Huzhou, Zhejiang province" and "Jiande, a county-level city in western
 * Hangzhou" the figure is Haishu's, Anji's and Jiande's: the more specific subject wins.
 */
function placedMentions(data: MetricsData, s: string): { start: number; end: number; region: string }[] {
  const out: { start: number; end: number; region: string }[] = [];
  for (const m of regionMentions(data, s)) {
    const prev = out[out.length - 1];
    const placing =
      prev !== undefined &&
      PLACING_GAP.test(s.slice(prev.end, m.start)) &&
      isAncestor(data, m.region, prev.region);
    if (placing) out[out.length - 1] = { ...prev, end: m.end };
    else out.push(m);
  }
  return out;
}

/**
 * A dateline at the head of a line: 本报松阳讯, 松阳讯, 新华社杭州10月20日电, "LISHUI, Oct 20 —".
 * It names where the story comes from, which for a county paper's story is its subject.
 */
const DATELINES: readonly RegExp[] = [
  /^[\s（(]*(?:本报|本网|本台|本刊)?([\u4e00-\u9fff]{2,8}?)讯/m,
  /^[\s（(]*(?:新华社|中新社|中新网|人民网|浙江在线)?([\u4e00-\u9fff]{2,8}?)\d{1,2}月\d{1,2}日(?:电|讯)/m,
  /^\s*([A-Z][A-Z'’ -]{2,30}),\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*(?:\(|—|–|--|-)/m,
];

/** How many characters at the head of the text a dateline is looked for in. */
const DATELINE_CHARS = 200;

/** The place a dateline at the head of the text names, simplified; null without one. */
export function datelinePlace(head: string): string | null {
  const text = head.slice(0, DATELINE_CHARS);
  for (const re of DATELINES) {
    const m = re.exec(text);
    if (m?.[1]) return m[1];
  }
  return null;
}

/** How much of the text is read for first mentions. */
export const FIRST_MENTIONS_CHARS = 4000;

/**
 * `firstChars`, when the caller has it: the matching text of text.slice(0, FIRST_MENTIONS_CHARS).
 */
export function subjectRegion(
  data: MetricsData,
  input: { title: string; source: string | null; text: string },
  firstChars?: string,
): Region | null {
  const scores = new Map<string, number>();
  const add = (simplified: string, weight: number): void => {
    for (const m of regionMentions(data, simplified))
      scores.set(m.region, (scores.get(m.region) ?? 0) + weight);
  };
  add(matchingText(input.title, data.simplifiedUnit), 5);
  if (input.source) add(matchingText(input.source, data.simplifiedUnit), 3);
  // A dateline weighs as the source does: both say where the story comes from.
  const dateline = datelinePlace(matchingText(input.text.slice(0, DATELINE_CHARS), data.simplifiedUnit));
  if (dateline) add(dateline, 3);
  add(firstChars ?? matchingText(input.text.slice(0, FIRST_MENTIONS_CHARS), data.simplifiedUnit), 1);
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const top = ranked[0];
  if (!top) return null;
  let best = top;
  // 嘉兴市南湖区 names the city only to place the district: when a descendant of the leader is
  // nearly as frequent, the article is about the descendant.
  for (const cand of ranked.slice(1)) {
    if (cand[1] >= best[1] * 0.6 && isAncestor(data, best[0], cand[0])) best = cand;
  }
  return data.regions.get(best[0]) ?? null;
}

const OUT_OF_SCOPE_ZH = /(全国|我国|中国|全球|世界|长三角|全省其他|其他地区)/;
/** Groups and floors: 两个区, 各县, 所有行政村…均 (each of them, not the region's own figure). */
const GROUP_ZH =
  /(?:\d+|[一二两三四五六七八九十]+)个[^,;:。]{0,8}?(?:县|区|市|村|镇|乡|街道|企业|项目|平台|园区)|各(?:县|区|市|地|村|镇)|所有|每个|每一个|山区\d*县|县\(市、区\)/;

/** 全省, 我市, 本县…: the subject's level (or the province) named without a name. */
const SCOPE_WORD_ZH = /(全省|我省|全市|我市|本市|全区|我区|本区|全县|我县|本县)/g;

/**
 * The region a clause prefix (the text between the clause start and the indicator) assigns to the
 * figure: an explicit region name, 全省/全市/全区 words, or the subject. `undefined` means the
 * figure belongs to something we cannot name (a group of counties, the nation, a subset).
 */
export function clauseRegion(data: MetricsData, prefix: string, subject: Region | null): string | undefined {
  // 其中第一产业增加值…: a part named by its own indicator is the region's figure; 其中XX镇… is not.
  if (/其中|of which|among them/i.test(prefix) && !/其中[,:]?(?:当年|全年|本年)?$/.test(prefix))
    return undefined;
  if (GROUP_ZH.test(prefix)) return undefined;
  if (OUT_OF_SCOPE_ZH.test(prefix)) return undefined;
  if (/\b(?:China['’]s|the country['’]s|national average|nationwide)\b/i.test(prefix)) return undefined;
  const mentions = placedMentions(data, prefix);
  let lastWord: RegExpExecArray | null = null;
  SCOPE_WORD_ZH.lastIndex = 0;
  for (let m = SCOPE_WORD_ZH.exec(prefix); m !== null; m = SCOPE_WORD_ZH.exec(prefix)) lastWord = m;
  const lastMention = mentions[mentions.length - 1];
  if (lastMention && (!lastWord || lastMention.start > lastWord.index)) return lastMention.region;
  if (lastWord) return scopeWordRegion(lastWord[1] ?? '', subject);
  return subject?.name;
}

/** The region 全省, 全市/本市 or 全区/全县 names, given the subject region. */
function scopeWordRegion(w: string, subject: Region | null): string | undefined {
  if (w.endsWith('省')) return '浙江省';
  if (!subject) return undefined;
  if (w.endsWith('市')) {
    if (subject.level === 'city' || subject.level === 'county_city') return subject.name;
    if (subject.level === 'district' || subject.level === 'county') return subject.parent ?? undefined;
    return undefined;
  }
  // 全区/全县 in a city or province article names no single region.
  if (subject.level === 'province' || subject.level === 'city') return undefined;
  return subject.name;
}
