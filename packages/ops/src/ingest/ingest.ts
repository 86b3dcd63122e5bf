import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { pagesRepo, sha256Hex, type ServiceDeps } from '@govwire/shared';
import type { IndexResult } from '@govwire/indexer';
import { waitForJob } from '../pipeline';

const INGESTIBLE = /\.(txt|html?|xhtml|xml)$/i;

/** Expands files and directories (recursively, ingestible extensions only), in a stable order. */
export async function expandInputs(inputs: string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const entries = await fs.readdir(p, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(p, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && INGESTIBLE.test(e.name)) files.push(full);
    }
  };
  for (const input of inputs) {
    const stat = await fs.stat(input).catch(() => null);
    if (!stat) missing.push(input);
    else if (stat.isDirectory()) await walk(input);
    else files.push(input);
  }
  return { files, missing };
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
  for (const [i, file] of files.entries()) {
    const bytes = await fs.readFile(file);
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

  const results: IngestResult[] = [];
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
