import { AsyncLocalStorage } from 'node:async_hooks';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express from 'express';
import { sql } from 'kysely';
import {
  createDb,
  createLogger,
  connectionErrorLogger,
  createRedis,
  QUEUES,
  Queues,
  UsageError,
  type Config,
  type Db,
  type Logger,
} from '@govwire/shared';
import type { Redis } from 'ioredis';
import { queueHealth } from '../queue-health';
import {
  allowedHosts,
  basicAuth,
  dashboardCredentials,
  hostGuard,
  LoginThrottle,
  type DashboardCredentials,
} from './auth';
import { auditBoardActions, boardHooks } from './board-audit';
import { AuditedBullMQAdapter, type BoardRequestRecord } from './board-adapter';
import { createQueueMetrics } from './metrics';

export interface DashboardDeps {
  queues: Queues;
  redis: Redis;
  db: Db;
  logger: Logger;
}

export interface Dashboard {
  server: Server;
  /** `http://host:port`, with the port actually bound (tests listen on port 0). */
  url: string;
  /** Whether basic auth guards the board and /metrics. */
  authenticated: boolean;
  /** Whether the admin board (write actions) is served, at /admin. */
  admin: boolean;
  close(): Promise<void>;
}

const BOARD_PATH = '/queues';
const ADMIN_PATH = '/admin';

/** The check's value, or null when it fails or takes longer than `ms`: a hung dependency is an unhealthy one. */
async function within<T>(ms: number, check: () => Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), ms);
      }),
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The dashboard: a read-only Bull Board over every queue at /queues (DASHBOARD_USER, or open on a
 * loopback-only dashboard), the same board with write actions at /admin behind its own login
 * (DASHBOARD_ADMIN_USER; every action written to ops_audit and to the failures table, as the CLI
 * does), `/healthz` (open: ok, or what is wrong) and `/metrics` (reader login; Prometheus sends
 * basic auth). Only the configured host names are answered. Deps are created when not given and
 * closed with the dashboard.
 */
export async function startDashboard(config: Config, given?: Partial<DashboardDeps>): Promise<Dashboard> {
  let credentials: DashboardCredentials;
  try {
    credentials = dashboardCredentials(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const owned: Array<() => Promise<void> | void> = [];
  const closeOwned = async () => {
    for (const f of owned.reverse()) await f();
  };
  try {
    const deps = ownDeps(config, given, owned);
    const metrics = await createQueueMetrics(config, deps.queues, deps.redis, deps.logger, deps.db);
    owned.push(() => metrics.close());
    const app = dashboardApp(config, deps, credentials, metrics.registry);
    const server = await listen(app, config);
    const addr = server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    if (!credentials.reader) deps.logger.warn('dashboard has no credentials: serving on loopback only');
    return {
      server,
      url: `http://${host}:${addr.port}`,
      authenticated: credentials.reader !== null,
      admin: credentials.admin !== null,
      async close() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await closeOwned();
      },
    };
  } catch (err) {
    await closeOwned();
    throw err;
  }
}

function ownDeps(config: Config, given: Partial<DashboardDeps> | undefined, owned: Array<() => unknown>) {
  const logger = given?.logger ?? createLogger('dashboard', config.LOG_LEVEL);
  let redis = given?.redis;
  if (!redis) {
    const r = createRedis(config.REDIS_URL, connectionErrorLogger(logger, 'redis'));
    owned.push(() => r.disconnect());
    redis = r;
  }
  let queues = given?.queues;
  if (!queues) {
    const q = new Queues(redis, config, connectionErrorLogger(logger, 'queue'));
    owned.push(() => q.close());
    queues = q;
  }
  let db = given?.db;
  if (!db) {
    const d = createDb(config.DATABASE_URL, { max: 2, onError: connectionErrorLogger(logger, 'postgres') });
    owned.push(() => d.destroy());
    db = d;
  }
  return { logger, redis, queues, db };
}

function dashboardApp(
  config: Config,
  deps: DashboardDeps,
  credentials: DashboardCredentials,
  registry: Awaited<ReturnType<typeof createQueueMetrics>>['registry'],
): express.Express {
  const { logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  const throttle = new LoginThrottle(
    config.DASHBOARD_LOGIN_MAX_FAILURES,
    config.DASHBOARD_LOGIN_LOCKOUT_S * 1000,
  );
  // /healthz says only ok or what is wrong, and probes come from anywhere: it skips the host check.
  app.get('/healthz', healthz(config, deps));
  app.use(hostGuard(allowedHosts(config), logger));
  const readers = credentials.reader
    ? [credentials.reader, ...(credentials.admin ? [credentials.admin] : [])]
    : null;
  const readAuth = basicAuth(readers, { realm: 'govwire', throttle, logger });

  app.get('/metrics', readAuth, (_req, res) => {
    registry.metrics().then(
      (body) => res.type(registry.contentType).send(body),
      (err: unknown) => {
        logger.error({ err }, 'metrics scrape failed');
        res.status(500).type('text/plain').send('metrics unavailable\n');
      },
    );
  });
  app.get('/', readAuth, (_req, res) => res.redirect(BOARD_PATH));
  const board = boardRouter(
    BOARD_PATH,
    QUEUES.map((q) => new BullMQAdapter(deps.queues.get(q), { readOnlyMode: true })),
    `govwire (${config.QUEUE_PREFIX}) · read-only`,
  );
  app.use(BOARD_PATH, readAuth, board);

  if (credentials.admin) {
    const requests = new AsyncLocalStorage<BoardRequestRecord>();
    const hooks = boardHooks(deps.db, logger);
    const admin = boardRouter(
      ADMIN_PATH,
      QUEUES.map((q) => new AuditedBullMQAdapter(deps.queues.get(q), hooks, requests)),
      `govwire (${config.QUEUE_PREFIX}) · admin`,
    );
    app.use(
      ADMIN_PATH,
      basicAuth([credentials.admin], { realm: 'govwire admin', throttle, logger }),
      auditBoardActions(requests, deps.db, logger),
      admin,
    );
  }
  return app;
}

function boardRouter(basePath: string, adapters: BullMQAdapter[], title: string): express.Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({ queues: adapters, serverAdapter, options: { uiConfig: { boardTitle: title } } });
  return serverAdapter.getRouter() as express.Router;
}

/**
 * 200 when Redis and Postgres answer and every queue with waiting jobs has a worker to take them;
 * 503 otherwise, naming what is wrong. A paused queue is not missing its workers.
 */
function healthz(config: Config, deps: DashboardDeps): express.RequestHandler {
  return (_req, res) => {
    void (async () => {
      const [redisOk, pgOk] = await Promise.all([
        within(2_000, async () => (await deps.redis.ping()) === 'PONG'),
        within(2_000, async () => Boolean(await sql`select 1`.execute(deps.db))),
      ]);
      const health = redisOk
        ? await within(2_000, () => queueHealth(deps.queues, deps.redis, config.QUEUE_PREFIX))
        : null;
      const ok = Boolean(redisOk && pgOk && health && !health.some((h) => h.noWorker));
      res.status(ok ? 200 : 503).json({
        status: ok ? 'ok' : 'unhealthy',
        redis: redisOk ? 'ok' : 'unreachable',
        postgres: pgOk ? 'ok' : 'unreachable',
        queues: Object.fromEntries(
          (health ?? []).map((h) => [
            h.queue,
            {
              workers: h.workers.length,
              waiting: h.waiting,
              paused: h.paused,
              ...(h.noWorker ? { problem: 'no worker' } : {}),
            },
          ]),
        ),
      });
    })();
  };
}

async function listen(app: express.Express, config: Config): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.DASHBOARD_PORT, config.DASHBOARD_HOST);
    s.once('listening', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE' || err.code === 'EACCES'
          ? new UsageError(`cannot listen on ${config.DASHBOARD_HOST}:${config.DASHBOARD_PORT}: ${err.code}`)
          : err,
      ),
    );
  });
}
