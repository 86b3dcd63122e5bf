import { PermanentError, TransientError } from '@govwire/shared/errors';
import pLimit from 'p-limit';
import { Piscina } from 'piscina';
import type { ParseInput, ParseResult } from './parse';
import type { ParseOutcome } from './parse-thread-worker';
import { DEFAULT_DATA_DIR, loadSettings } from './settings';

/**
 * Runs parseDocument somewhere: in worker threads (the service) or in the caller's thread (CLI,
 * tests: parse-inline.ts). This module imports no part of the parser itself: the service's main
 * thread never parses, and loading the parser there would only delay its start.
 */
export interface PageParser {
  parse(input: ParseInput): Promise<ParseResult>;
  close(): Promise<void>;
}

/**
 * parseDocument in a pool of worker threads (piscina), one parse per thread at a time.
 *
 * Why threads: parsing is synchronous CPU work (a hostile page can take seconds even within the
 * limits), and BullMQ renews a job's lock from the worker's event loop. A parse on the main thread
 * starves that renewal: the lock expires, the job is taken for stalled and runs again elsewhere.
 * In a thread the event loop stays free, the lock is renewed, and the job fails once, with its
 * reason. A parse that overruns its own time check (maxParseMs) by twice is stopped by terminating
 * its thread (piscina starts another).
 */
export function parserThreadPool(opts: { threads: number; maxParseMs: number }): PageParser {
  const pool = new Piscina<ParseInput, ParseOutcome>({
    filename: new URL('./parse-thread.mjs', import.meta.url).href,
    minThreads: opts.threads,
    maxThreads: opts.threads,
    // Threads register their own TypeScript loader (parse-thread.mjs).
    execArgv: [],
    idleTimeout: Infinity,
  });
  // Pages wait for a free thread here, not in the pool's own queue: the time limit of a parse
  // starts when a thread takes it, so a page queued behind slow ones is not stopped for its wait.
  const freeThread = pLimit(opts.threads);
  return {
    parse: (input) => freeThread(() => parseOnThread(pool, input, opts.maxParseMs)),
    close: () => pool.destroy(),
  };
}

async function parseOnThread(
  pool: Piscina<ParseInput, ParseOutcome>,
  input: ParseInput,
  maxParseMs: number,
): Promise<ParseResult> {
  let outcome: ParseOutcome;
  try {
    outcome = await pool.run(input, { signal: AbortSignal.timeout(2 * maxParseMs) });
  } catch (err) {
    if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError')
      throw new PermanentError('parse_timeout', `parse thread stopped after ${2 * maxParseMs} ms`);
    throw new TransientError('parse_thread', `parse thread failed: ${(err as Error).message}`);
  }
  if (outcome.ok) return outcome.result;
  const { code, message, permanent } = outcome.error;
  throw permanent ? new PermanentError(code, message) : new TransientError(code, message);
}

/** Starts every thread and waits until each has built its context: the pool is then ready for jobs. */
export async function whenThreadsReady(pool: PageParser, threads: number): Promise<void> {
  // A task per thread that parses nothing: each finds its context built (or builds it first).
  const empty = { bytes: new Uint8Array(0) };
  await Promise.allSettled(Array.from({ length: threads }, () => pool.parse(empty)));
}

/**
 * `concurrency` parse threads (pages parsed at once), limits from the settings. The threads start
 * loading the parser at once; a job that arrives before a thread is ready waits for it.
 */
export function startParseThreads(concurrency: number): PageParser {
  const { maxParseMs } = loadSettings(DEFAULT_DATA_DIR).limits;
  return parserThreadPool({ threads: concurrency, maxParseMs });
}
