import type { Metric, Paragraph } from '@govwire/shared';

/**
 * Input to metric extraction: the parser's clean output. Table rows appear in `text` as one line per
 * row with cells separated by a tab character; a table is one paragraph of such lines.
 */
export interface MetricsInput {
  text: string;
  paragraphs: Paragraph[];
  title: string;
  publishedAt: string | null;
  source: string | null;
  url?: string | null;
}

/** Placeholder until the metrics issue lands: no metrics. */
export function extractMetrics(_input: MetricsInput): Metric[] {
  return [];
}
