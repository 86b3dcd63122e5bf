import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load as parseYaml } from 'js-yaml';
import { z } from 'zod';

/** The directory of the shipped data files (phrase rules, spam terms, settings, metrics data). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url));

/**
 * The parser's limits, scoring weights and thresholds (`data/settings.yaml`): every key required,
 * unknown keys rejected, so a typo fails at start instead of silently keeping a default.
 */
const share = z.number().min(0).max(1);
const chars = z.number().int().positive();
const positive = z.number().positive();

export const settingsSchema = z.strictObject({
  limits: z.strictObject({
    maxDepth: chars,
    maxNodes: chars,
    maxParseMs: chars,
  }),
  extract: z.strictObject({
    paragraphMinChars: chars,
    ancestorLevels: z.number().int().min(1).max(10),
    charsPerPoint: positive,
    maxLengthPoints: positive,
    positiveHintFactor: positive,
    negativeHintFactor: positive,
    parentClimbRatio: share,
    siblingScoreRatio: share,
    siblingMinScore: z.number().min(0),
    siblingMaxLinkDensity: share,
    siblingParagraphMinChars: chars,
    siblingParagraphMaxLinkDensity: share,
    imageCaptionMaxChars: chars,
    dataTableMinRows: chars,
    dataTableMinCells: chars,
    dataTableMaxAverageCellChars: chars,
    dataTableMaxSentenceChars: chars,
    infoTextMaxChars: chars,
    infoTextMaxCount: chars,
    tagListMaxChars: chars,
  }),
  clean: z.strictObject({
    linkBlockMinLinkDensity: share,
    linkBlockMaxPunct: z.number().int().min(0),
    captionMaxChars: chars,
    creditedCaptionMaxChars: chars,
    lists: z.strictObject({
      offTopicOverlap: share,
      spamMedianOverlap: share,
      spamOffTopicShare: share,
      headlineShare: share,
      headlineMaxChars: chars,
      spamRepeatShare: share,
      itemLinkedDensity: share,
      linkedShare: share,
      menuMaxAverageChars: chars,
      bodyMinChars: chars,
    }),
    head: z.strictObject({
      blocks: chars,
      titleLineMaxChars: chars,
      infoLineMaxChars: chars,
      bylineMaxChars: chars,
    }),
    standaloneCaptionMaxChars: chars,
    standaloneCaptionAlwaysChars: chars,
    brokenParagraphMinChars: chars,
    nextLabelMaxChars: chars,
    sloganMaxChars: chars,
    evidenceWordMinChars: chars,
    evidenceWordMaxChars: chars,
    joinMinChars: chars,
    joinEnglishMinChars: chars,
  }),
  spamTerms: z.strictObject({
    runMinChars: z.number().int().min(2),
    runMaxChars: chars,
    numberSplitAloneChars: chars,
    splitRunMaxChars: chars,
    repeatedRunMinPlaces: z.number().int().min(2),
    widenChars: z.number().int().min(0).max(4),
  }),
  document: z.strictObject({
    minArticleChars: chars,
    scriptSampleChars: chars,
  }),
});

export type ParserSettings = z.infer<typeof settingsSchema>;

/** Parses and validates a settings file's contents; every bad key is named in the error. */
export function parseSettings(yamlText: string, where = 'settings.yaml'): ParserSettings {
  const parsed = settingsSchema.safeParse(parseYaml(yamlText));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`${where}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export function loadSettings(dataDir: string): ParserSettings {
  const file = `${dataDir}settings.yaml`;
  return parseSettings(readFileSync(file, 'utf8'), file);
}
