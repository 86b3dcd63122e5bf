import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { z } from 'zod';

/**
 * One crawl source as written in `seeds/sources.yaml`, validated at load. Every bad entry is
 * reported, each message naming the entry (its id, or its position) and the field.
 */
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

const regex = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export const startUrlSchema = z.union([
  httpUrl.transform((url) => ({ url, kind: 'list' as const })),
  z.object({ url: httpUrl, kind: z.enum(['list', 'feed', 'sitemap']).default('list') }).strict(),
]);

/** Five-field cron (or six with seconds), checked loosely here; BullMQ's parser has the last word. */
const cron = z
  .string()
  .trim()
  .refine((s) => {
    const parts = s.split(/\s+/);
    return (parts.length === 5 || parts.length === 6) && parts.every((p) => /^[\d*/,\-A-Za-z?LW#]+$/.test(p));
  }, 'must be a cron expression with 5 or 6 fields');

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

const charset = z.string().refine((c) => {
  try {
    new TextDecoder(c);
    return true;
  } catch {
    return false;
  }
}, 'unknown charset');

export const sourceConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _ only'),
    name: z.string().min(1),
    enabled: z.boolean().default(true),
    startUrls: z.array(startUrlSchema).min(1, 'at least one start URL'),
    links: z
      .object({
        /** CSS selector of article links on list pages; default every `a[href]`. */
        selector: z.string().min(1).optional(),
        /** Regexes a link must match (any); without them a link must stay on a start URL's host. */
        allow: z.array(regex).default([]),
        /** Regexes that exclude a link (any). */
        deny: z.array(regex).default([]),
      })
      .strict()
      .default({ allow: [], deny: [] }),
    pagination: z
      .object({
        nextSelector: z.string().min(1).optional(),
        /** List pages followed per start URL, the first included. */
        maxPages: z.number().int().positive().default(50),
      })
      .strict()
      .default({ maxPages: 50 }),
    schedule: z
      .object({ cron, timezone: timeZone.default('Asia/Shanghai') })
      .strict()
      .optional(),
    politeness: z
      .object({
        minIntervalMs: z.number().int().nonnegative().optional(),
        maxInFlight: z.number().int().positive().optional(),
      })
      .strict()
      .default({}),
    maxPagesPerRun: z.number().int().positive().default(500),
    /** Overrides every page's declared charset (sites that lie about their encoding). */
    charset: charset.optional(),
  })
  .strict();

export type SourceConfig = z.output<typeof sourceConfigSchema>;
export type SourceInput = z.input<typeof sourceConfigSchema>;

export class SourcesFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
    this.name = 'SourcesFileError';
  }
}

/** Validates the parsed YAML document (`{ sources: [...] }`); one message per bad entry. */
export function validateSources(doc: unknown, file = 'sources'): SourceConfig[] {
  const root = z.object({ sources: z.array(z.unknown()) }).safeParse(doc);
  if (!root.success)
    throw new SourcesFileError(file, ['top level: expected `sources:` with a list of sources']);
  const problems: string[] = [];
  const out: SourceConfig[] = [];
  const seen = new Map<string, number>();
  root.data.sources.forEach((entry, i) => {
    const rawId = (entry as { id?: unknown } | null)?.id;
    const label = typeof rawId === 'string' && rawId ? `source "${rawId}"` : `source #${i + 1}`;
    const parsed = sourceConfigSchema.safeParse(entry);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((iss) => {
        const field = iss.path.join('.') || '(entry)';
        const msg =
          iss.code === 'unrecognized_keys' ? `unknown field(s) ${iss.keys.join(', ')}` : iss.message;
        return `${field}: ${msg}`;
      });
      problems.push(`${label}: ${fields.join('; ')}`);
      return;
    }
    const prior = seen.get(parsed.data.id);
    if (prior !== undefined) {
      problems.push(`${label}: id: duplicate of source #${prior + 1}`);
      return;
    }
    seen.set(parsed.data.id, i);
    out.push(parsed.data);
  });
  if (problems.length) throw new SourcesFileError(file, problems);
  return out;
}

export function parseSourcesYaml(text: string, file = 'sources'): SourceConfig[] {
  const doc = parseDocument(text);
  if (doc.errors.length) {
    throw new SourcesFileError(
      file,
      doc.errors.map((e) => `YAML: ${e.message}`),
    );
  }
  return validateSources(doc.toJS(), file);
}

export function loadSources(file: string): SourceConfig[] {
  const resolved = resolveSourcesFile(file);
  return parseSourcesYaml(readFileSync(resolved, 'utf8'), resolved);
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * SOURCES_FILE as configured: absolute, or relative to the working directory, or else to the
 * repository root (`pnpm --filter @govwire/crawler …` runs inside services/crawler).
 */
export function resolveSourcesFile(file: string): string {
  if (path.isAbsolute(file)) return file;
  const fromCwd = path.resolve(file);
  return existsSync(fromCwd) ? fromCwd : path.resolve(REPO_ROOT, file);
}
