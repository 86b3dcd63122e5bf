import { Converter } from 'opencc-js/t2cn';
import stCharacters from 'opencc-js/dict/STCharacters';
import tsCharacters from 'opencc-js/dict/TSCharacters';
import { isHan } from './cjk';

/**
 * Traditional and simplified Chinese. The conversion of text is opencc-js's own t→cn converter
 * (phrase-aware, as OpenCC does it). Two per-character tables are read off OpenCC's character
 * dictionaries once, when the parser context is built:
 * - which characters only one script has (to tell a page's script by counting, without converting);
 * - each character's simplified form when that is one code unit too (metrics match indicator
 *   phrases on text converted character by character, so that offsets stay those of the article).
 */
export interface ScriptConverter {
  /** OpenCC t→cn (mainland simplified) of any text. */
  toSimplified(text: string): string;
  /** Per UTF-16 code unit: TRADITIONAL_ONLY, SIMPLIFIED_ONLY or 0. */
  readonly scriptOf: Uint8Array;
  /** Per UTF-16 code unit: its one-unit simplified form, or itself. */
  readonly simplifiedUnit: Uint16Array;
}

export const TRADITIONAL_ONLY = 1;
export const SIMPLIFIED_ONLY = 2;

/** `source replacement[ more]` entries of an OpenCC text dictionary: the first replacement is the default. */
export function dictionaryEntries(dictionary: string): Array<[string, string]> {
  const entries = dictionary.split('|').map((e): [string, string] => {
    const [source, replacement] = e.split(' ');
    if (!source || !replacement) throw new Error(`unexpected OpenCC dictionary entry ${JSON.stringify(e)}`);
    return [source, replacement];
  });
  if (entries.length < 1000) throw new Error('OpenCC character dictionary looks truncated');
  return entries;
}

/** Builds the converter and its two tables (a few milliseconds; call once per process). */
export function buildScriptConverter(): ScriptConverter {
  const scriptOf = new Uint8Array(65536);
  const simplifiedUnit = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) simplifiedUnit[c] = c;
  for (const [t, s] of dictionaryEntries(tsCharacters)) {
    if (t.length !== 1 || s === t || !isHan(t.charCodeAt(0))) continue;
    scriptOf[t.charCodeAt(0)] = TRADITIONAL_ONLY;
    if (s.length === 1) simplifiedUnit[t.charCodeAt(0)] = s.charCodeAt(0);
  }
  for (const [s, t] of dictionaryEntries(stCharacters)) {
    const c = s.charCodeAt(0);
    if (s.length === 1 && t !== s && isHan(c) && scriptOf[c] === 0) scriptOf[c] = SIMPLIFIED_ONLY;
  }
  return { toSimplified: Converter({ from: 't', to: 'cn' }), scriptOf, simplifiedUnit };
}

/** The text in simplified script: converted when it has any traditional-only character. */
export function simplify(script: ScriptConverter, s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (script.scriptOf[s.charCodeAt(i)] === TRADITIONAL_ONLY) return script.toSimplified(s);
  }
  return s;
}

/** Simplified or traditional: which script's own characters are more frequent. */
export function chineseScript(script: ScriptConverter, s: string): 'zh-Hans' | 'zh-Hant' {
  let traditional = 0;
  let simplified = 0;
  for (let i = 0; i < s.length; i++) {
    const k = script.scriptOf[s.charCodeAt(i)];
    if (k === TRADITIONAL_ONLY) traditional++;
    else if (k === SIMPLIFIED_ONLY) simplified++;
  }
  return scriptOfCounts(traditional, simplified);
}

/** chineseScript's verdict from its counts. */
export function scriptOfCounts(traditional: number, simplified: number): 'zh-Hans' | 'zh-Hant' {
  return traditional > simplified ? 'zh-Hant' : 'zh-Hans';
}
