import { readFileSync } from 'node:fs';
import { load as parseYaml } from 'js-yaml';
import { z } from 'zod';

/** What a unit word says a figure measures (the token kinds of candidate.ts that tables use). */
export const unitKindSchema = z.enum(['CNY', '%', 'persons', 'count', 'ratio', 'points']);
export type UnitKind = z.infer<typeof unitKindSchema>;

const words = z.array(z.string()).min(1);

export const tableSettingsSchema = z.object({
  limits: z.object({
    maxTableCells: z.number().int().positive(),
    maxTableRows: z.number().int().positive(),
    maxCellChars: z.number().int().positive(),
    maxHeaderRows: z.number().int().min(1).max(6),
    maxNumbersPerSentence: z.number().int().positive(),
  }),
  headers: z.object({
    skip: words,
    unit: words,
    label: words,
    change: words,
    changeBase: words,
    value: words,
  }),
  placeholders: z.array(z.string()),
  labelNoise: z.array(z.string().min(1)),
  units: z
    .array(z.object({ text: z.string().min(1), kind: unitKindSchema, factor: z.number().positive() }))
    .min(1),
});

export type TableSettings = z.infer<typeof tableSettingsSchema>;

/** `data/metrics/tables.yaml` of a data directory, validated; a bad file fails with zod's list of problems. */
export function loadTableSettings(dataDir: string): TableSettings {
  const parsed = tableSettingsSchema.safeParse(parseYaml(readFileSync(`${dataDir}tables.yaml`, 'utf8')));
  if (!parsed.success) throw new Error(`metrics data tables.yaml: ${z.prettifyError(parsed.error)}`);
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
  const h = parsed.data.headers;
  return {
    ...parsed.data,
    headers: {
      skip: lower(h.skip),
      unit: lower(h.unit),
      label: lower(h.label),
      change: lower(h.change),
      changeBase: lower(h.changeBase),
      value: lower(h.value),
    },
    placeholders: lower(parsed.data.placeholders),
    // Longest first: 万亿元 before 亿元 before 元.
    units: [...parsed.data.units]
      .map((u) => ({ ...u, text: u.text.toLowerCase() }))
      .sort((a, b) => b.text.length - a.text.length),
  };
}
