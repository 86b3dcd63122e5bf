import { UsageError } from '@govwire/shared';
import type { OpsContext } from '../context';
import {
  emptyYield,
  recentRuns,
  runYields,
  sourceRows,
  type CrawlRun,
  type RunYield,
  type SourceRow,
} from '../repositories/source-health.repository';

export type RunView = CrawlRun & RunYield;

export interface SourceView extends SourceRow {
  lastRun: RunView | null;
}

async function withYields(ctx: OpsContext, runs: CrawlRun[]): Promise<RunView[]> {
  const yields = await runYields(
    ctx.db,
    runs.map((r) => r.crawlId),
  );
  return runs.map((r) => ({ ...r, ...(yields.get(r.crawlId) ?? emptyYield()) }));
}

/** `pnpm ops sources`: every source with what its last crawl yielded, end to end. */
export async function sourcesCommand(ctx: OpsContext): Promise<SourceView[]> {
  const [sources, runs] = await Promise.all([sourceRows(ctx.db), recentRuns(ctx.db, { perSource: 1 })]);
  const views = await withYields(ctx, runs);
  const last = new Map(views.map((v) => [v.sourceId, v]));
  return sources.map((s) => ({ ...s, lastRun: last.get(s.sourceId) ?? null }));
}

export interface SourceRunsResult {
  source: SourceRow;
  runs: RunView[];
}

/** `pnpm ops status --source X`: the source's newest runs, each with its yield. */
export async function sourceRunsCommand(
  ctx: OpsContext,
  sourceId: string,
  runs = 10,
): Promise<SourceRunsResult> {
  const [source] = await sourceRows(ctx.db, sourceId);
  if (!source) {
    const known = (await sourceRows(ctx.db)).map((s) => s.sourceId);
    throw new UsageError(
      `unknown source "${sourceId}"; known sources: ${known.length ? known.join(', ') : '(none yet)'}`,
    );
  }
  return {
    source,
    runs: await withYields(ctx, await recentRuns(ctx.db, { sourceId, perSource: runs })),
  };
}
