/**
 * Wall time per SQL statement, summed by statement: a Kysely plugin that notes when a query is
 * handed over and when its result comes back. It is how `bench:index --statements` shows which
 * statements of a batch Postgres spends its time on (the "profile first"), without
 * pg_stat_statements, which needs a server restart to load.
 *
 * The time includes compiling the query, the round trip and, with concurrent batches, waiting
 * for a core: run it with `--concurrency 1` for shares close to Postgres's own CPU.
 */
import { performance } from 'node:perf_hooks';
import type { Db } from '../packages/shared/src/index';

type Plugin = Parameters<Db['withPlugin']>[0];
type QueryArgs = Parameters<Plugin['transformQuery']>[0];
type ResultArgs = Parameters<Plugin['transformResult']>[0];

export interface StatementTime {
  statement: string;
  count: number;
  ms: number;
}

/** What names a statement: the start of a raw query's text, or the node kind and its tables. */
function statementLabel(node: QueryArgs['node']): string {
  if (node.kind === 'RawNode') return node.sqlFragments.join('?').replace(/\s+/g, ' ').trim().slice(0, 100);
  const tables = new Set<string>();
  JSON.stringify(node, (key, value: unknown) => {
    // An insert's rows hold no table, and are most of its tree.
    if (key === 'values') return undefined;
    if (key === 'table' && typeof value === 'object' && value !== null && 'identifier' in value) {
      const name = (value as { identifier: { name?: unknown } }).identifier.name;
      // `excluded` is the row an upsert proposed, not a table.
      if (typeof name === 'string' && name !== 'excluded') tables.add(name);
    }
    return value;
  });
  return `${node.kind.replace(/Node$/, '')} ${[...tables].join(', ')}`;
}

export function statementTimer() {
  const started = new Map<QueryArgs['queryId'], { at: number; label: string }>();
  const totals = new Map<string, StatementTime>();
  const plugin: Plugin = {
    transformQuery({ node, queryId }: QueryArgs) {
      const label = statementLabel(node);
      started.set(queryId, { at: performance.now(), label });
      return node;
    },
    async transformResult({ queryId, result }: ResultArgs) {
      const start = started.get(queryId);
      if (start) {
        started.delete(queryId);
        const t = totals.get(start.label) ?? { statement: start.label, count: 0, ms: 0 };
        t.count++;
        t.ms += performance.now() - start.at;
        totals.set(start.label, t);
      }
      return result;
    },
  };
  return {
    plugin,
    /** The statements by total time, longest first. */
    report: (): StatementTime[] => [...totals.values()].sort((a, b) => b.ms - a.ms),
    reset: () => totals.clear(),
  };
}
