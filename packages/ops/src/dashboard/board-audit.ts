import type { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import type { Db, Logger } from '@govwire/shared';
import { insertAudit, markFailuresOfJobs } from '../ops/repositories/ops.repository';
import { authenticatedUser } from './auth';
import type { BoardHooks, BoardRequestRecord } from './board-adapter';

/** The admin board's effect on the failures table: the same statuses the CLI's replay and discard set. */
export function boardHooks(db: Db, logger: Logger): BoardHooks {
  return {
    async retrying(queue, jobId) {
      await markFailuresOfJobs(db, queue, [jobId], 'replayed');
    },
    async retryFailed(queue, jobId) {
      await db
        .updateTable('failures')
        .set({ status: 'failed', resolved_at: null })
        .where('queue', '=', queue)
        .where('job_id', '=', jobId)
        .where('status', '=', 'replayed')
        .execute();
    },
    async removed(queue, jobIds, wereFailed) {
      if (!wereFailed) return;
      const n = await markFailuresOfJobs(db, queue, jobIds, 'discarded');
      logger.info({ queue, jobs: jobIds.length, rows: n }, 'board: failed jobs discarded');
    },
  };
}

interface BoardAction {
  action: string;
  queue: string | null;
  jobId?: string;
  state?: string;
}

const dec = (s: string | undefined) => (s === undefined ? null : decodeURIComponent(s));

/**
 * Names a Bull Board API call as an operator action. The names match the CLI's where the effect
 * is the same (`replay`, `discard`, `pause`, `resume`), so `ops audit --action pause` finds both.
 */
export function boardAction(method: string, path: string): BoardAction | null {
  const m = method.toUpperCase();
  let r: RegExpExecArray | null;
  if (m === 'PUT' && (r = /^\/api\/queues\/(pause|resume)$/.exec(path)))
    return { action: r[1]!, queue: 'all' };
  if (m === 'PUT' && (r = /^\/api\/queues\/([^/]+)\/(retry|clean)\/([^/]+)$/.exec(path))) {
    const state = dec(r[3])!;
    const action = r[2] === 'retry' ? 'replay' : state === 'failed' ? 'discard' : 'clean';
    return { action, queue: dec(r[1]), state };
  }
  if (
    m === 'PUT' &&
    (r = /^\/api\/queues\/([^/]+)\/(pause|resume|empty|obliterate|promote|concurrency)$/.exec(path))
  )
    return { action: r[2]!, queue: dec(r[1]) };
  if (m === 'PUT' && (r = /^\/api\/queues\/([^/]+)\/([^/]+)\/(retry|clean|promote)$/.exec(path))) {
    const action = r[3] === 'retry' ? 'replay' : r[3] === 'clean' ? 'delete' : 'promote';
    return { action, queue: dec(r[1]), jobId: dec(r[2])! };
  }
  if (m === 'PATCH' && (r = /^\/api\/queues\/([^/]+)\/([^/]+)\/update-data$/.exec(path)))
    return { action: 'update-data', queue: dec(r[1]), jobId: dec(r[2])! };
  if (m === 'POST' && (r = /^\/api\/queues\/([^/]+)\/add$/.exec(path)))
    return { action: 'add', queue: dec(r[1]) };
  if (m === 'GET' || m === 'HEAD') return null;
  return { action: `board ${m} ${path}`, queue: null };
}

/**
 * Writes every admin-board action that succeeded to ops_audit, as `board:<user>`: the jobs it
 * touched (collected by the adapter while Bull Board ran it) and the HTTP status. A single job
 * deleted while failed is a `discard`, as on the CLI.
 */
export function auditBoardActions(
  requests: AsyncLocalStorage<BoardRequestRecord>,
  db: Db,
  logger: Logger,
): RequestHandler {
  return (req, res, next) => {
    const named = boardAction(req.method, req.path);
    if (!named) {
      next();
      return;
    }
    const record: BoardRequestRecord = { touched: [] };
    const actor = `board:${authenticatedUser(req) ?? 'anonymous'}`;
    res.on('finish', () => {
      if (res.statusCode >= 400) return;
      const jobIds = record.touched.map((t) => t.jobId);
      const action =
        named.action === 'delete' && record.touched.some((t) => t.effect === 'discarded')
          ? 'discard'
          : named.action;
      insertAudit(db, {
        action,
        actor,
        selection: {
          via: 'board',
          ...(named.queue ? { queue: named.queue } : {}),
          ...(named.state ? { state: named.state } : {}),
          ...(jobIds.length ? { jobIds } : named.jobId ? { jobIds: [named.jobId] } : {}),
          http: res.statusCode,
        },
        count: jobIds.length || 1,
      }).catch((err: unknown) =>
        logger.error({ err, action, actor }, 'could not write the board action to ops_audit'),
      );
    });
    requests.run(record, () => next());
  };
}
