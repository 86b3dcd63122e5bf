import { constants, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { errorMessage, pagesRepo, sha256Hex, UsageError, type ServiceDeps } from '@govwire/shared';
import type { IndexResult } from '@govwire/indexer';
import { waitForJob } from '../pipeline';

const INGESTIBLE = /\.(txt|html?|xhtml|xml)$/i;

/** An input that will not be read, and why (one line for the operator). */
export interface RejectedInput {
  path: string;
  reason: string;
}

/** What a path is, in the words an operator reads, when it is not a regular file or a directory. */
function kindOf(stat: Stats): string {
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function tooLarge(size: number, maxBytes: number): string {
  return `${size} bytes, more than FETCH_MAX_BYTES (${maxBytes})`;
}

/**
 * Expands files and directories (recursively, ingestible extensions only), in a stable order.
 * Only regular files within `maxBytes` are taken: a device (`/dev/zero`) would be read forever and
 * a FIFO would block on open, so both are refused from their stat, never opened.
 */
export async function expandInputs(
  inputs: string[],
  maxBytes: number,
): Promise<{ files: string[]; rejected: RejectedInput[] }> {
  const files: string[] = [];
  const rejected: RejectedInput[] = [];
  const take = (p: string, stat: Stats) => {
    if (!stat.isFile())
      rejected.push({ path: p, reason: `${kindOf(stat)}: ingest reads regular files only` });
    else if (stat.size > maxBytes) rejected.push({ path: p, reason: tooLarge(stat.size, maxBytes) });
    else files.push(p);
  };
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (INGESTIBLE.test(e.name)) take(full, await fs.stat(full));
    }
  };
  for (const input of inputs) {
    const stat = await fs.stat(input).catch(() => null);
    if (!stat) rejected.push({ path: input, reason: 'no such file or directory' });
    else if (stat.isDirectory()) await walk(input);
    else take(input, stat);
  }
  return { files, rejected };
}

/**
 * Reads a file of at most `maxBytes`, checking again on the open descriptor: a path swapped for a
 * FIFO or a device after the stat is refused (non-blocking open), and a file that grew past the
 * limit is not read past it.
 */
export async function readBounded(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new UsageError(`${file}: ${kindOf(stat)}: ingest reads regular files only`);
    const buf = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new UsageError(`${file}: ${tooLarge(total, maxBytes)}`);
      if (total === buf.length) break;
    }
    return buf.subarray(0, total);
  } finally {
    await handle.close();
  }
}

export interface IngestResult {
  file: string;
  status: 'stored' | 'failed';
  /** What the indexer reported (article id, created or merged), or the failure reason. */
  detail: string;
  articleId: number | null;
}

const MATCH_WORDS: Record<IndexResult['match'], string> = {
  new: 'new article',
  near: 'near-duplicate, merged',
  exact: 'same text already stored',
};

function describeIndexResult(value: unknown): { detail: string; articleId: number | null } {
  const r = value as Partial<IndexResult> | null;
  if (typeof r?.articleId !== 'number' || !r.match) return { detail: 'stored', articleId: null };
  return { detail: `article ${r.articleId} (${MATCH_WORDS[r.match]})`, articleId: r.articleId };
}

/**
 * Sends local files through the real parse and index queues: each file is stored as a page (raw
 * bytes, so it can be re-parsed later), queued for parsing, and followed until it is stored or has
 * failed. Workers must be running (`pnpm start`), or started in-process by the caller.
 */
export async function ingestFiles(
  deps: ServiceDeps,
  files: string[],
  opts: { runId: string; onResult?: (r: IngestResult) => void },
): Promise<IngestResult[]> {
  const runStartedAt = Date.now();
  const queued: Array<{ file: string; jobId: string }> = [];
  const results: IngestResult[] = [];
  for (const [i, file] of files.entries()) {
    let bytes: Buffer;
    try {
      bytes = await readBounded(file, deps.config.FETCH_MAX_BYTES);
    } catch (err) {
      const detail = err instanceof UsageError ? err.message.replace(`${file}: `, '') : errorMessage(err);
      const result: IngestResult = { file, status: 'failed', detail, articleId: null };
      opts.onResult?.(result);
      results.push(result);
      continue;
    }
    const url = pathToFileURL(path.resolve(file)).href;
    const contentHash = sha256Hex(bytes);
    const fetchedAt = new Date();
    const headers: Record<string, string> = {};
    const pageId = await pagesRepo.savePage(deps.db, {
      url,
      finalUrl: url,
      sourceId: null,
      crawlId: null,
      status: 200,
      contentHash,
      headers,
      bodyGzip: gzipSync(bytes),
      bytes: bytes.length,
      fetchedAt,
    });
    // A job id per ingest run and file: re-ingesting runs the pipeline again (the indexer is
    // idempotent), instead of BullMQ silently keeping an old job of the same id.
    const jobId = `ingest:${opts.runId}:${i}`;
    await deps.queues.enqueue(
      'parse-page',
      {
        page: {
          pageId,
          contentHash,
          url,
          finalUrl: url,
          sourceId: null,
          crawlId: null,
          fetchedAt: fetchedAt.toISOString(),
          status: 200,
          charsetOverride: null,
        },
      },
      { jobId },
    );
    // The reconcile sweep finds the page's job by this id while it waits.
    await pagesRepo.setParseJobIds(deps.db, [{ pageId, jobId }]);
    queued.push({ file, jobId });
  }

  for (const { file, jobId } of queued) {
    const parsed = await waitForJob(deps, 'parser', jobId);
    let result: IngestResult;
    if (parsed.state !== 'completed') {
      result = {
        file,
        status: 'failed',
        detail: `parse: ${parsed.state === 'failed' ? parsed.reason : 'job vanished'}`,
        articleId: null,
      };
    } else {
      // The parse job returns the id of the index job it enqueued.
      const indexJobId = (parsed.returnvalue as { jobId?: string } | null)?.jobId;
      const indexed = indexJobId
        ? await waitForJob(deps, 'indexer', indexJobId)
        : ({ state: 'missing' } as const);
      if (indexed.state === 'completed') {
        const described = describeIndexResult(indexed.returnvalue);
        // The index job id is deterministic per content and URL: a job that already ran (an earlier
        // ingest of the same bytes) is not run again, so the record is unchanged.
        if (indexed.job.timestamp < runStartedAt && described.articleId !== null) {
          described.detail = `article ${described.articleId} (already stored, unchanged)`;
        }
        result = { file, status: 'stored', ...described };
      } else
        result = {
          file,
          status: 'failed',
          detail: `index: ${indexed.state === 'failed' ? indexed.reason : 'no index job'}`,
          articleId: null,
        };
    }
    opts.onResult?.(result);
    results.push(result);
  }
  return results;
}
