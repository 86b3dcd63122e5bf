import { UsageError, type ServiceDeps } from '@govwire/shared';
import type { OpsContext } from '../context';

type StartCrawl = (deps: ServiceDeps, sourceId: string, trigger: 'manual') => Promise<unknown>;

/**
 * The crawler's `startCrawl` is loaded when the command runs, not when the CLI starts, so every other
 * subcommand works on a machine where the crawler package is broken or absent.
 */
const CRAWLER_MODULE: string = '@govwire/crawler';

export async function crawlCommand(
  ctx: OpsContext,
  sourceId: string,
): Promise<{ sourceId: string; result: unknown }> {
  if (!sourceId.trim()) throw new UsageError('crawl: give a source id (see: pnpm ops status)');
  let startCrawl: StartCrawl | undefined;
  try {
    ({ startCrawl } = (await import(CRAWLER_MODULE)) as { startCrawl?: StartCrawl });
  } catch (err) {
    throw new UsageError(`crawl: cannot load the crawler (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof startCrawl !== 'function')
    throw new UsageError('crawl: the crawler package exports no startCrawl');
  const deps: ServiceDeps = {
    config: ctx.config,
    logger: ctx.logger,
    db: ctx.db,
    redis: ctx.redis,
    queues: ctx.queues,
  };
  return { sourceId, result: await startCrawl(deps, sourceId.trim(), 'manual') };
}
