import { z } from 'zod';
import { compactArticle, wireArticleSchema } from './article';
import { sha1Hex } from './hash';

/** Each service owns one queue: the unit of scaling. */
export const QUEUES = ['crawler', 'parser', 'indexer'] as const;
export type QueueName = (typeof QUEUES)[number];

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:/i.test(u), 'must be an http(s) URL');

export const crawlSourceJob = z.object({
  sourceId: z.string().min(1),
  /** One crawl run: `<sourceId>:<ISO time>`; job ids of the fetches it makes derive from it. */
  crawlId: z.string().min(1),
  trigger: z.enum(['schedule', 'manual', 'demo']).default('manual'),
});

/**
 * `dataproxy`: a JCMS column's later records, a POST to its dataproxy that answers an XML
 * datastore; read like a list page.
 */
export const pageKindSchema = z.enum(['list', 'article', 'feed', 'sitemap', 'dataproxy']);
export type PageKind = z.infer<typeof pageKindSchema>;

export const fetchRequestSchema = z
  .object({
    method: z.literal('POST'),
    /** The `application/x-www-form-urlencoded` body. */
    form: z.string().max(8_000),
  })
  .strict();
export type JobRequest = z.infer<typeof fetchRequestSchema>;

export const listPagerSchema = z
  .object({
    family: z.literal('jcms'),
    /** The column page the records belong to: their relative links resolve against it. */
    columnUrl: httpUrl,
    /** 1-based record range asked for. */
    start: z.number().int().positive(),
    end: z.number().int().positive(),
    perPage: z.number().int().positive(),
    /** Records the column says it holds, when it says. */
    total: z.number().int().nonnegative().nullable(),
    /** Unusable answers in a row before this request (one is skipped over, two end the column). */
    badInRow: z.number().int().nonnegative().default(0),
  })
  .strict();
export type ListPager = z.infer<typeof listPagerSchema>;

export const fetchPageJob = z.object({
  sourceId: z.string().min(1),
  crawlId: z.string().min(1),
  url: httpUrl,
  kind: pageKindSchema,
  /** How many list pages deep (pagination) this URL was found. */
  depth: z.number().int().nonnegative().default(0),
  referrer: z.string().nullable().default(null),
  /** A request other than a plain GET: a dataproxy page is a POST of the column's form fields. */
  request: fetchRequestSchema.optional(),
  /** Where a paged list stands (JCMS: the record range asked for, the column's total). */
  pager: listPagerSchema.optional(),
});

/**
 * A fetched page as a job refers to it: the `pages` row holds its bytes and headers (stored once, by
 * the crawler or by ingest), so a job stays small and readable, and a replay or a reparse reads the
 * very bytes the first parse saw. The content hash pins the version: a row whose hash differs is not
 * the page this job was made for.
 */
export const pageRefSchema = z.object({
  /** The `pages` row holding the bytes. */
  pageId: z.number().int().positive(),
  /** sha256 of the raw (uncompressed) bytes. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  url: z.string().min(1),
  finalUrl: z.string().min(1),
  sourceId: z.string().nullable(),
  crawlId: z.string().nullable(),
  fetchedAt: z.string().datetime({ offset: true }),
  status: z.number().int(),
  /** The source's charset override, when its pages lie about their encoding. */
  charsetOverride: z.string().nullable().default(null),
});
export type PageRef = z.infer<typeof pageRefSchema>;

export const parsePageJob = z.object({
  page: pageRefSchema,
  /**
   * The `pnpm ops reparse` run that asked for this parse. Its index job is the run's own (see
   * indexJobId): the page's first index job may still be kept in Redis under the plain id.
   */
  reparseRun: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

/** The crawler's parse job for a stored page (re-queues use fresh ids: see pages.parse_job_id). */
export function parseJobId(pageId: number): string {
  return `parse-${pageId}`;
}

/** The parse job of page `pageId` in the `pnpm ops reparse` run `runId`. */
export function reparseJobId(runId: string, pageId: number): string {
  return `reparse-${runId}-${pageId}`;
}

/** The reparse run a parse job id belongs to, if it is a reparse job's (see reparseJobId). */
export function reparseRunOf(parseJobId: string | null): string | undefined {
  return parseJobId ? /^reparse-([A-Za-z0-9_-]+)-\d+$/.exec(parseJobId)?.[1] : undefined;
}

/**
 * The index job of a parsed page: one per content and final URL, so a replayed or re-queued parse
 * enqueues nothing new while the first is kept in Redis. A reparse run gets its own: under the
 * plain id, add() is a no-op while the page's first index job is kept (the last
 * COMPLETED_JOBS_KEEP_COUNT, for a day), and a parser fix would silently not reach those pages.
 */
export function indexJobId(page: Pick<PageRef, 'contentHash' | 'finalUrl'>, reparseRun?: string): string {
  const id = `index:${page.contentHash}:${sha1Hex(page.finalUrl)}`;
  // BullMQ refuses a custom id of more than three ':'-separated parts.
  return reparseRun ? `${id}-${reparseRun}` : id;
}

export const indexArticleJob = z.object({
  /** Read in full, whichever form it was written in; enqueued in its wire form (see toWire). */
  article: wireArticleSchema,
  page: pageRefSchema,
});

/** The registry: job name → its queue and payload schema. */
export const JOBS = {
  'crawl-source': { queue: 'crawler', schema: crawlSourceJob },
  'fetch-page': { queue: 'crawler', schema: fetchPageJob },
  'parse-page': { queue: 'parser', schema: parsePageJob },
  'index-article': { queue: 'indexer', schema: indexArticleJob },
} as const satisfies Record<string, { queue: QueueName; schema: z.ZodType }>;

export type JobName = keyof typeof JOBS;

/**
 * The payload as it is stored in Redis, from the checked payload: the article of an index job
 * without the copies of its text that its schema rebuilds (see wireArticleSchema). Every other
 * job is stored as it is.
 */
export function toWire<N extends JobName>(name: N, data: JobData<N>): unknown {
  if (name !== 'index-article') return data;
  const job = data as JobData<'index-article'>;
  return { ...job, article: compactArticle(job.article) };
}
/** The payload as a handler receives it (defaults applied). */
export type JobData<N extends JobName> = z.output<(typeof JOBS)[N]['schema']>;
/** The payload as a caller may enqueue it (defaults optional). */
export type JobInput<N extends JobName> = z.input<(typeof JOBS)[N]['schema']>;
export type JobsOfQueue<Q extends QueueName> = {
  [N in JobName]: (typeof JOBS)[N]['queue'] extends Q ? N : never;
}[JobName];
