import { loadMetricsData, type MetricsData } from './metrics/data';
import { loadRules, type Rules } from './rules/rules';
import { DEFAULT_DATA_DIR, loadSettings, type ParserSettings } from './settings';
import { buildCharClasses } from './extract/char-classes';
import { buildScriptConverter, type ScriptConverter } from './text/script';
import { TermIndex } from './text/term-index';
import { buildPhraseSplitIndex, type PhraseSplitIndex } from './clean/term-detection';

export { DEFAULT_DATA_DIR };

/** The shipped spam terms, longest first, and the index that finds them in a page in one pass. */
export interface SpamTermList {
  terms: string[];
  index: TermIndex<{ text: string }>;
  /** Where an indicator phrase or a region name can be split by an injected run (generic detection). */
  phraseSplits: PhraseSplitIndex;
}

/**
 * Everything the parser reads besides the page: settings, phrase rules, spam terms, the metrics
 * dictionary and gazetteer, the script converter and the character table extraction counts with.
 * Built once per process (a worker builds all of it before taking jobs: `warmParserContext`); each
 * part is built when first asked for, so the CLI builds only what its input needs (a binary file
 * needs nothing, an English page no script tables). Nothing in the parser keeps state elsewhere.
 */
export interface ParserContext {
  readonly settings: ParserSettings;
  readonly rules: Rules;
  readonly spamTerms: SpamTermList;
  readonly script: ScriptConverter;
  readonly metrics: MetricsData;
  /** Per UTF-16 code unit: what extraction counts it as (see extract/char-classes). */
  readonly charClasses: Uint8Array;
}

/** A value built on first use and kept. */
function once<T>(build: () => T): () => T {
  let built = false;
  let value: T | undefined;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

export function createParserContext(options: { dataDir?: string } = {}): ParserContext {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const settings = once(() => loadSettings(dataDir));
  const rules = once(() => loadRules(dataDir));
  const script = once(buildScriptConverter);
  const metrics = once(() => loadMetricsData(`${dataDir}metrics/`, script()));
  const spamTerms = once((): SpamTermList => {
    const terms = rules()
      .spamTerms.filter((t) => t.length >= 2)
      .sort((a, b) => b.length - a.length);
    const m = metrics();
    const phrases = [...m.zhPhrases.terms(), ...m.zhRegionNames.terms()]
      .map((p) => p.text)
      .filter((t) => t.length >= 3);
    return {
      terms,
      index: new TermIndex(terms.map((text) => ({ text }))),
      phraseSplits: buildPhraseSplitIndex(phrases),
    };
  });
  const charClasses = once(buildCharClasses);
  return {
    get settings() {
      return settings();
    },
    get rules() {
      return rules();
    },
    get spamTerms() {
      return spamTerms();
    },
    get script() {
      return script();
    },
    get metrics() {
      return metrics();
    },
    get charClasses() {
      return charClasses();
    },
  };
}

/** Builds every part now (a worker does, so that its first job waits for nothing). */
export function warmParserContext(ctx: ParserContext): ParserContext {
  void [ctx.settings, ctx.rules, ctx.spamTerms, ctx.script, ctx.metrics, ctx.charClasses];
  return ctx;
}
