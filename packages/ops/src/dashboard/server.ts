import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createBullBoard } from '@bull-board/api';
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
import { basicAuth, dashboardCredentials } from './auth';
import { FullRetryBullMQAdapter } from './board-adapter';
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
  close(): Promise<void>;
}

const BOARD_PATH = '/queues';

/** Resolves false when the check takes longer than `ms`: a hung dependency is an unhealthy one. */
async function within(ms: number, check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Bull Board over every queue behind basic auth, `/healthz` (open: it says only ok or not) and
 * `/metrics` (behind the same auth as the board; Prometheus sends basic auth). Deps are created when
 * not given and closed with the dashboard.
 */
export async function startDashboard(config: Config, given?: Partial<DashboardDeps>): Promise<Dashboard> {
  let credentials;
  try {
    credentials = dashboardCredentials(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const owned: Array<() => Promise<void> | void> = [];
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
  const closeOwned = async () => {
    for (const f of owned.reverse()) await f();
  };

  try {
    const metrics = await createQueueMetrics(config, queues, redis, logger);
    owned.push(() => metrics.close());

    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(BOARD_PATH);
    createBullBoard({
      queues: QUEUES.map((q) => new FullRetryBullMQAdapter(queues.get(q))),
      serverAdapter,
      options: { uiConfig: { boardTitle: `govwire (${config.QUEUE_PREFIX})` } },
    });

    const app = express();
    app.disable('x-powered-by');
    const auth = basicAuth(credentials);
    const r = redis;
    const d = db;
    app.get('/healthz', (_req, res) => {
      void Promise.all([within(2_000, () => r.ping()), within(2_000, () => sql`select 1`.execute(d))]).then(
        ([redisOk, pgOk]) => {
          res.status(redisOk && pgOk ? 200 : 503).json({
            status: redisOk && pgOk ? 'ok' : 'unhealthy',
            redis: redisOk ? 'ok' : 'unreachable',
            postgres: pgOk ? 'ok' : 'unreachable',
          });
        },
      );
    });
    app.get('/metrics', auth, (_req, res) => {
      metrics.registry.metrics().then(
        (body) => res.type(metrics.registry.contentType).send(body),
        (err: unknown) => {
          logger.error({ err }, 'metrics scrape failed');
          res.status(500).type('text/plain').send('metrics unavailable\n');
        },
      );
    });
    app.get('/', auth, (_req, res) => res.redirect(BOARD_PATH));
    app.use(BOARD_PATH, auth, serverAdapter.getRouter() as express.Router);

    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.DASHBOARD_PORT, config.DASHBOARD_HOST);
      s.once('listening', () => resolve(s));
      s.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE' || err.code === 'EACCES'
            ? new UsageError(
                `cannot listen on ${config.DASHBOARD_HOST}:${config.DASHBOARD_PORT}: ${err.code}`,
              )
            : err,
        ),
      );
    });
    const addr = server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    if (!credentials) logger.warn('dashboard has no credentials: serving on loopback only');
    return {
      server,
      url: `http://${host}:${addr.port}`,
      authenticated: credentials !== null,
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
