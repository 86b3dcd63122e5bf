import { PermanentError, decodeBytes, errorMessage, type JobContext, type JobData } from '@govwire/shared';
import type { FetchResponse } from '../fetch/http-client';
import { collectLinks, readListPage, type ListReading, type NextPage } from '../links/extract';
import { followingRequest, readJcmsAnswer } from '../links/jcms';
import { linkRules } from '../links/rules';
import {
  finishCrawlIfDone,
  linkStatus,
  logFetch,
  markUrlDone,
  recordAttachments,
  recordListPage,
  saveUrlState,
  type UrlToQueue,
} from '../repositories/crawler.repository';
import type { CrawlerDeps } from '../runtime';
import type { SourceConfig } from '../sources/source-config';
import { normalizeUrl } from '../url/normalize';
import { queueFetches } from './queue-fetches';

/** Why a column's paging stopped (crawls.stop_reason). */
export type StopReason =
  'caught_up' | 'end_of_list' | 'max_pages' | 'run_limit' | 'empty_page' | 'bad_answer';

/** What a list page (or dataproxy answer) was read as, before anything is queued. */
interface PageReading extends ListReading {
  /** Why the answer was unusable (dataproxy), when it was. */
  problem?: string | undefined;
}

/** Two unusable dataproxy answers in a row end a column; one is stepped over. */
const MAX_BAD_ANSWERS_IN_ROW = 2;

/** Reads a JCMS dataproxy answer: its records, and the next record range to ask for. */
function readDataproxy(text: string, data: JobData<'fetch-page'>, url: string, opts: ListOpts): PageReading {
  const pager = data.pager!;
  const form = data.request?.form ?? '';
  const answer = readJcmsAnswer(text);
  const links = collectLinks(answer.links, { ...opts, baseUrl: pager.columnUrl });
  const notes: string[] = [];
  if (answer.unusable) notes.push(`${answer.unusable} record(s) without a usable link`);
  const unusable = answer.records === 0 && answer.problem !== undefined;
  if (answer.problem) notes.push(answer.problem);
  const badInRow = unusable ? pager.badInRow + 1 : 0;
  const total = answer.totalRecord ?? pager.total;
  const next =
    badInRow >= MAX_BAD_ANSWERS_IN_ROW || (answer.records === 0 && !unusable)
      ? undefined
      : followingRequest(url, form, pager, { total, badInRow });
  return {
    family: 'jcms',
    ...links,
    next: next ? [{ kind: 'dataproxy', url: next.url, form: next.form, pager: next.pager }] : [],
    notes,
    problem: unusable ? answer.problem : undefined,
  };
}

type ListOpts = Parameters<typeof readListPage>[1];

function readPage(
  deps: CrawlerDeps,
  data: JobData<'fetch-page'>,
  source: SourceConfig,
  url: string,
  res: FetchResponse,
) {
  const decoded = decodeBytes(res.body!, {
    contentType: res.headers['content-type'],
    charsetOverride: source.charset,
  });
  const opts: ListOpts = {
    baseUrl: normalizeUrl(res.finalUrl),
    rules: linkRules(source),
    selector: source.links.selector,
    nextSelector: source.pagination.nextSelector,
    maxLinks: deps.config.CRAWLER_MAX_LINKS_PER_PAGE,
  };
  if (data.kind === 'dataproxy' && data.pager) return readDataproxy(decoded.text, data, url, opts);
  try {
    return readListPage(decoded.text, opts) as PageReading;
  } catch (err) {
    if (err instanceof PermanentError) throw err;
    throw new PermanentError('unparseable', `${res.finalUrl}: cannot read list page: ${errorMessage(err)}`);
  }
}

/**
 * Decides whether paging goes on: not past `pagination.maxPages`, and not past a page that lists
 * nothing new (every link fetched by an earlier crawl or already met in this one), which is where
 * a daily crawl of a column has caught up with the last.
 */
function pagingDecision(
  reading: PageReading,
  fresh: number,
  depth: number,
  maxPages: number,
): { next: NextPage[]; stop: StopReason | undefined } {
  if (reading.problem && reading.next.length === 0) return { next: [], stop: 'bad_answer' };
  if (reading.articles.length === 0 && !reading.problem) {
    return { next: [], stop: reading.next.length === 0 ? 'end_of_list' : 'empty_page' };
  }
  if (fresh === 0 && !reading.problem) return { next: [], stop: 'caught_up' };
  if (reading.next.length === 0) return { next: [], stop: 'end_of_list' };
  if (depth + 1 >= maxPages) return { next: [], stop: 'max_pages' };
  return { next: reading.next, stop: undefined };
}

function toQueue(
  reading: PageReading,
  next: NextPage[],
  data: JobData<'fetch-page'>,
  url: string,
): UrlToQueue[] {
  // Next pages go first so the pages-per-run cap never starves pagination of its list pages.
  return [
    ...next.map((n) => ({
      // The key the fetch will mark done under: the URL as its handler normalizes it.
      url: normalizeUrl(n.url),
      kind: n.kind,
      depth: data.depth + 1,
      referrer: url,
      ...(n.kind === 'dataproxy'
        ? { request: { method: 'POST' as const, form: n.form }, pager: n.pager }
        : {}),
    })),
    ...reading.articles.map((u) => ({ url: u, kind: 'article', depth: data.depth, referrer: url })),
  ];
}

function noteFor(reading: PageReading, found: number, fresh: number, stop: StopReason | undefined): string {
  const parts = [`${reading.family}: ${found} article link(s), ${fresh} new`];
  if (reading.dropped) parts.push(`${reading.dropped} link(s) not taken`);
  parts.push(...reading.notes);
  if (stop) parts.push(`paging stopped: ${stop}`);
  return parts.join('; ');
}

/**
 * A list page or dataproxy answer that was fetched: read it with the reader its family needs,
 * queue its articles and (unless paging stops here) its next page, and record what it held.
 */
export async function readAndQueueListPage(
  deps: CrawlerDeps,
  data: JobData<'fetch-page'>,
  source: SourceConfig,
  url: string,
  res: FetchResponse,
  ctx: JobContext,
): Promise<{ outcome: 'fetched'; status: number; queued: number }> {
  const { db } = deps;
  const base = {
    crawl_id: data.crawlId,
    source_id: data.sourceId,
    url,
    final_url: res.finalUrl,
    status: res.status,
    bytes: res.bytes,
    ms: res.ms,
  };
  let reading: PageReading;
  try {
    reading = readPage(deps, data, source, url, res);
  } catch (err) {
    // A page that cannot be read (too deep for its selectors, unparseable) is a final outcome.
    const e = err instanceof PermanentError ? err : new PermanentError('unparseable', errorMessage(err));
    await logFetch(db, { ...base, outcome: 'failed', error: `[${e.code}] ${e.message}` });
    await markUrlDone(db, data.crawlId, url, 'failed');
    await finishCrawlIfDone(db, data.crawlId);
    throw e;
  }
  const status = await linkStatus(db, data.crawlId, reading.articles);
  const fresh = reading.articles.filter((u) => !status.known.has(u) && !status.inCrawl.has(u)).length;
  const newToStore = reading.articles.filter((u) => !status.known.has(u)).length;
  let { next, stop } = pagingDecision(reading, fresh, data.depth, source.pagination.maxPages);
  const { queued, overLimit, claimed } = await queueFetches(
    deps,
    source,
    data.crawlId,
    toQueue(reading, next, data, url),
  );
  if (next.length > 0 && !next.some((n) => claimed.has(normalizeUrl(n.url))))
    [next, stop] = [[], 'run_limit'];
  if (overLimit > 0) ctx.log.warn({ overLimit, limit: source.maxPagesPerRun }, 'pages-per-run limit reached');
  const note = noteFor(reading, reading.articles.length, newToStore, stop);
  const failed = reading.problem !== undefined;
  const totals = await db.transaction().execute(async (tx) => {
    await recordAttachments(tx, url, reading.attachments, { sourceId: source.id, crawlId: data.crawlId });
    await logFetch(tx, {
      ...base,
      outcome: failed ? 'failed' : 'fetched',
      error: failed ? `[bad_answer] ${reading.problem}` : null,
      note,
    });
    await saveUrlState(tx, { url, sourceId: source.id, crawlId: data.crawlId, status: res.status });
    await markUrlDone(tx, data.crawlId, url, failed ? 'failed' : 'fetched');
    return recordListPage(tx, data.crawlId, { found: reading.articles.length, fresh: newToStore, stop });
  });
  await finishCrawlIfDone(db, data.crawlId);
  const summary = {
    family: reading.family,
    articles: reading.articles.length,
    new: newToStore,
    queued,
    next: next.length,
  };
  if (stop) ctx.log.info({ ...summary, stop, run: totals }, 'paging stopped');
  else ctx.log.info(summary, 'links queued');
  if (failed) throw new PermanentError('bad_answer', `${res.finalUrl}: ${reading.problem}`);
  return { outcome: 'fetched', status: res.status, queued };
}
