/**
 * Start-up of the parser as a user meets it, by spawning real processes: the CLI's wall time for
 * one 10 KB corpus page (`pnpm --silent parse`, Node's and pnpm's own start included), and the
 * parser service's time from spawn until its BullMQ worker is listening (its `parser started` log
 * line, written once the worker's connection is ready), as its start script runs it (run.mjs: the
 * bundle build.mjs makes; a rebuild's own time is printed beside). Used by `pnpm bench:parse`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deleteQueuePrefix } from '@govwire/shared/queue';
import { loadConfig } from '@govwire/shared/config';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TEN_KB_PAGE = 'services/parser/test/corpus/pages/seed-000.news-portal.html';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall ms of `pnpm --silent parse <10 KB page>` with its bundle fresh, median of `runs`. */
export function cliWallMs(runs = 5): { ms: number; all: number[] } {
  buildMs(['--if-stale']); // a rebuild after a change is timed apart, below
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync('pnpm', ['--silent', 'parse', TEN_KB_PAGE], { cwd: ROOT, encoding: 'utf8' });
    all.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`pnpm parse failed: ${r.stderr}`);
  }
  return { ms: median(all), all };
}

/**
 * `pnpm --filter @govwire/parser start` is `node run.mjs main`: the bundle, rebuilt first when a
 * source changed. Wall ms of `node build.mjs` with `args` (a full build, or a check that finds the
 * bundle fresh, as a process of its own: inside run.mjs it costs less, no second Node start).
 */
function buildMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync('node', ['build.mjs', ...args], { cwd: `${ROOT}services/parser`, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`parser build failed: ${r.stderr}`);
  return performance.now() - t0;
}

/** Ms from spawning the parser service until it logs that its worker is listening; then stops it. */
async function workerReadyOnce(): Promise<number> {
  const prefix = `bench-start-${process.pid}-${Date.now()}`;
  const t0 = performance.now();
  // The service as its start script runs it (without pnpm in front: a signal reaches node).
  const child = spawn('node', ['run.mjs', 'main'], {
    cwd: `${ROOT}services/parser`,
    env: { ...process.env, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('"msg":"parser started"')) resolve(performance.now() - t0);
      });
      child.on('exit', (code) => reject(new Error(`parser exited (${code}) before it was ready`)));
    });
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await deleteQueuePrefix(loadConfig().REDIS_URL, prefix);
  }
}

/** Worker-ready ms (spawn of the built service → listening), median of `runs`; the build's ms. */
export async function workerReadyMs(
  runs = 3,
): Promise<{ ms: number; all: number[]; buildMs: number; checkMs: number }> {
  const build = buildMs([]);
  const check = buildMs(['--if-stale']);
  const all: number[] = [];
  for (let i = 0; i < runs; i++) all.push(await workerReadyOnce());
  return { ms: median(all), all, buildMs: build, checkMs: check };
}

/** Prints both figures. */
export async function printStartTimes(): Promise<void> {
  const cli = cliWallMs();
  console.log(
    `CLI wall, pnpm --silent parse of one 10 KB page: ${Math.round(cli.ms)} ms median (${cli.all.map(Math.round).join(', ')})`,
  );
  const ready = await workerReadyMs();
  console.log(
    `parser worker ready (spawn of node run.mjs main → listening, bundle fresh): ${Math.round(ready.ms)} ms median (${ready.all.map(Math.round).join(', ')})`,
  );
  console.log(
    `build.mjs as a process: ${Math.round(ready.checkMs)} ms to find the bundle fresh, ${Math.round(ready.buildMs)} ms to rebuild (the first start or parse after a change)`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await printStartTimes();
