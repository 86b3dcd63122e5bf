import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * Private Redis and PostgreSQL for the fault suite, on free ports and under a temp dir: they are
 * killed, restarted and stopped at will, and the machine's own services are never touched.
 * PostgreSQL refuses to run as root, so as root its cluster belongs to the postgres user.
 */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    await sleep(100);
  }
}

export class PrivateRedis {
  private child: ChildProcess | undefined;
  readonly url: string;

  constructor(
    readonly port: number,
    readonly dir: string,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  /** Starts redis-server with an append-only file (fsync every second), loading it if present. */
  async start(): Promise<void> {
    // prettier-ignore
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir,
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction',
      '--logfile', path.join(this.dir, 'redis.log')];
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    await until('redis-server', () => this.answers());
  }

  /** SIGKILL: no shutdown, the AOF keeps what was fsynced (up to the last second). */
  kill(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  async answers(): Promise<boolean> {
    const r = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return (await r.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      r.disconnect();
    }
  }
}

/** `pg_config --bindir`, or Debian's newest /usr/lib/postgresql/<version>/bin without pg_config. */
function postgresBindir(): string {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    const dir = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => existsSync(`${d}/initdb`));
    if (!dir)
      throw new Error('no PostgreSQL server binaries: pg_config is missing and /usr/lib/postgresql has none');
    return dir;
  }
}

export class PrivatePostgres {
  readonly bindir: string;
  readonly url: string;
  private readonly options: string;

  constructor(
    readonly port: number,
    readonly dir: string,
  ) {
    this.bindir = postgresBindir();
    this.url = `postgres://postgres@127.0.0.1:${port}/govwire`;
    // Durability is not under test here (a fast restart is a clean shutdown): skip the fsyncs.
    this.options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  }

  private asPostgres(tool: string, args: string[]): void {
    // PostgreSQL refuses root: as root (CI) the cluster is the postgres user's, otherwise our own.
    const cmd = [path.join(this.bindir, tool), ...args];
    const argv = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...cmd] : cmd;
    const r = spawnSync(argv[0]!, argv.slice(1), {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  }

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  private get logFile(): string {
    return path.join(this.dir, 'pg.log');
  }

  async init(): Promise<void> {
    this.asPostgres('initdb', ['-D', this.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await this.start();
    const admin = new pg.Client({ connectionString: this.url.replace(/\/govwire$/, '/postgres') });
    admin.on('error', () => undefined);
    await admin.connect();
    await admin.query('create database govwire');
    await admin.end();
  }

  async start(): Promise<void> {
    this.asPostgres('pg_ctl', [
      '-D',
      this.data,
      '-l',
      path.join(this.dir, 'pg.log'),
      '-o',
      this.options,
      '-w',
      'start',
    ]);
  }

  /** `pg_ctl restart -m fast`: every backend is terminated (57P01), then the server comes back. */
  restart(): void {
    // -l here too: without it the new server writes to our pipe, and spawnSync waits on it forever.
    this.asPostgres('pg_ctl', [
      '-D',
      this.data,
      '-l',
      this.logFile,
      '-m',
      'fast',
      '-o',
      this.options,
      '-w',
      'restart',
    ]);
  }

  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.asPostgres('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }
}

export interface Infra {
  dir: string;
  redis: PrivateRedis;
  pg: PrivatePostgres;
  teardown(): Promise<void>;
}

/** A temp dir (readable by postgres), a Redis and an initialised PostgreSQL on free ports. */
export async function startInfra(): Promise<Infra> {
  const dir = mkdtempSync(path.join(tmpdir(), 'govwire-faults-'));
  chmodSync(dir, 0o755);
  const redisDir = path.join(dir, 'redis');
  const pgDir = path.join(dir, 'pg');
  mkdirSync(redisDir);
  mkdirSync(pgDir, { mode: 0o700 });
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(pgDir, uid, gid);
  }
  const redis = new PrivateRedis(await freePort(), redisDir);
  const pgServer = new PrivatePostgres(await freePort(), pgDir);
  await redis.start();
  await pgServer.init();
  return {
    dir,
    redis,
    pg: pgServer,
    async teardown() {
      redis.kill();
      try {
        pgServer.stop('immediate');
      } catch {
        // already stopped (a scenario failed while it was down)
      }
      if (!process.env.FAULTS_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}
