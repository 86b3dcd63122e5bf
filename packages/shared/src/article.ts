import { z } from 'zod';

/**
 * The parser's output: the contract between parser, indexer and `pnpm parse`. Field names are a
 * published command-line contract; extend, do not rename.
 */
export const languageSchema = z.enum(['zh-Hans', 'zh-Hant', 'en', 'mixed']);
export type Language = z.infer<typeof languageSchema>;

export const unitSchema = z.enum(['CNY', '%', 'ratio', 'points', 'persons', 'count']);
export type Unit = z.infer<typeof unitSchema>;

/** above: 超/突破/以上/more than; about: 近/约; below: 不到/以下; target: a goal, never an actual value. */
export const qualifierSchema = z.enum(['above', 'about', 'below', 'target', 'top_n']);
export type Qualifier = z.infer<typeof qualifierSchema>;

export const evidenceSchema = z.object({
  /** The sentence or table row the metric was read from, as it stands in `text`. */
  text: z.string(),
  /** Offsets into the article's `text` (UTF-16 code units, as JavaScript strings index). */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  lang: languageSchema,
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const metricSchema = z.object({
  /** Official simplified-Chinese region name: 柯桥区, 南湖区, 浙江省. */
  region: z.string().min(1),
  indicator: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** The period the figure describes (not the publication year): `2022`, `2022-01/2022-06`. */
  period: z.string().min(4),
  /** In base units (1901亿元 → 190100000000); null when only a change is stated. */
  value: z.number().nullable(),
  unit: unitSchema,
  changePct: z.number().nullable(),
  /**
   * A change in percentage points (`1.2` for a share up 1.2 points), apart from changePct (in
   * percent). Optional: absent or null when none is stated, so every producer of metrics written
   * before it stays valid; readers take a missing value as null.
   */
  changePp: z.number().nullable().optional(),
  /** What the change is: annual growth (default), a multi-year average, or percentage points. */
  changeKind: z.enum(['annual', 'multi_year_average', 'percentage_points']).nullable().default(null),
  /**
   * An absolute change in the figure's own unit, for figures whose change is not a percentage:
   * `收入比缩小0.02` is -0.02 on a ratio. Optional like changePp: absent reads as null.
   */
  changeAbs: z.number().nullable().optional(),
  rank: z.number().int().positive().nullable(),
  /** How many were ranked: `the highest among Zhejiang's 90 counties` is rank 1, rankTotal 90. */
  rankTotal: z.number().int().positive().nullable().optional(),
  /** The scope of the rank: province, city, nation. */
  rankScope: z.enum(['province', 'city', 'nation']).nullable().default(null),
  qualifier: qualifierSchema.nullable(),
  evidence: z.array(evidenceSchema).min(1),
  /** Language of the evidence: `mixed` when a bilingual page states the fact in both languages. */
  lang: languageSchema,
});
export type Metric = z.infer<typeof metricSchema>;

export const paragraphSchema = z.object({
  text: z.string(),
  lang: languageSchema,
  /** Offsets of the paragraph in `text`. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type Paragraph = z.infer<typeof paragraphSchema>;

export const removedSchema = z.object({
  boilerplate: z.array(z.string()),
  spamLinks: z.array(z.string()),
  spamTerms: z.array(z.string()),
});
export type Removed = z.infer<typeof removedSchema>;

export const parsedArticleSchema = z.object({
  title: z.string(),
  /** `YYYY-MM-DD` or null. */
  publishedAt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  source: z.string().nullable(),
  canonicalUrl: z.string().nullable().default(null),
  language: languageSchema,
  /** Clean main text in the page's own script; paragraphs separated by blank lines. */
  text: z.string(),
  /** The same text converted to simplified Chinese, for matching and deduplication. */
  textSimplified: z.string(),
  paragraphs: z.array(paragraphSchema),
  removed: removedSchema,
  warnings: z.array(z.string()),
  metrics: z.array(metricSchema),
});
export type ParsedArticle = z.infer<typeof parsedArticleSchema>;

/**
 * A parsed article as an `index-article` job carries it through Redis. A parsed article holds its
 * text up to three times: `text`, `textSimplified` (the same string for a page already in
 * simplified Chinese) and every paragraph's `text` (a slice of `text` at its offsets). The job
 * leaves out the copies that can be rebuilt exactly, so Redis, the parser's socket and the
 * indexer's JSON parse carry the text once. Reading it restores the full article; a job written
 * in full (before this form, or by hand) reads the same.
 */
export const wireArticleSchema = parsedArticleSchema
  .extend({
    /** Absent: the same as `text`. */
    textSimplified: z.string().optional(),
    /** A paragraph without `text` is `text.slice(start, end)`. */
    paragraphs: z.array(paragraphSchema.extend({ text: z.string().optional() })),
  })
  .superRefine((a, ctx) => {
    a.paragraphs.forEach((p, i) => {
      if (p.text === undefined && !(p.start <= p.end && p.end <= a.text.length))
        ctx.addIssue({
          code: 'custom',
          path: ['paragraphs', i],
          message: `a paragraph without text must lie within the text (${p.start}-${p.end} of ${a.text.length})`,
        });
    });
  })
  .transform((a): ParsedArticle => ({
    ...a,
    textSimplified: a.textSimplified ?? a.text,
    paragraphs: a.paragraphs.map((p) => ({ ...p, text: p.text ?? a.text.slice(p.start, p.end) })),
  }));
export type WireArticle = z.input<typeof wireArticleSchema>;

/** The wire form of an article: each copy of its text that `wireArticleSchema` rebuilds, left out. */
export function compactArticle(article: ParsedArticle): WireArticle {
  const { textSimplified, paragraphs, ...rest } = article;
  return {
    ...rest,
    ...(textSimplified === article.text ? {} : { textSimplified }),
    paragraphs: paragraphs.map(({ text, ...offsets }) =>
      article.text.slice(offsets.start, offsets.end) === text ? offsets : { text, ...offsets },
    ),
  };
}
