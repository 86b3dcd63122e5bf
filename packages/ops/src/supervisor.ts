import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig, runCli, SAME_SIGNAL_WINDOW_MS, type Logger } from '@govwire/shared';

/**
 * `pnpm start` for small installs: the three workers and the scheduler as child processes of one
 * supervisor. A child that dies is restarted with exponential backoff (reset after a minute of
 * uptime).
 *
 * Stopping: SIGTERM or SIGINT to the supervisor (PID 1 in a container, or `pnpm start`, whose
 * script execs it) is passed on as SIGTERM to each child, which stops taking jobs, lets running
 * ones finish within SHUTDOWN_GRACE_MS and puts the rest back in their queue. A child still alive
 * a margin after that is killed with its process group. Children run in their own process groups,
 * so a terminal's Ctrl-C reaches them once, through the supervisor; and they stop by themselves
 * if the supervisor dies (their IPC channel closes).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Node's arguments for each child. The parser runs its bundle (services/parser/run.mjs, rebuilt
// when a source is newer): under tsx its ~450 modules took seconds to load, the bundle a fraction.
const CHILDREN = [
  { name: 'crawler', args: ['--import', 'tsx', 'services/crawler/src/main.ts'] },
  { name: 'parser', args: ['services/parser/run.mjs', 'main'] },
  { name: 'indexer', args: ['--import', 'tsx', 'services/indexer/src/main.ts'] },
  { name: 'scheduler', args: ['--import', 'tsx', 'services/crawler/src/scheduler-main.ts'] },
] as const;
/** Time a child gets beyond the grace period to close its connections and exit. */
const EXIT_MARGIN_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

/** Signals a child and the helpers it started (tsx's esbuild), ignoring a group already gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function superviseChildren(log: Logger) {
  const running = new Map<string, ChildProcess>();
  let stopping = false;
  const launch = (name: string, args: readonly string[], attempt = 0) => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [...args], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: process.env,
      detached: true,
    });
    running.set(name, child);
    log.info({ child: name, pid: child.pid }, 'started');
    child.on('exit', (code, signal) => {
      running.delete(name);
      if (stopping) {
        log.info({ child: name, code, signal }, 'stopped');
        return;
      }
      const next = Date.now() - startedAt > 60_000 ? 0 : attempt + 1;
      const delay = next === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (next - 1));
      log.error({ child: name, code, signal, restartInMs: delay }, 'exited unexpectedly; restarting');
      setTimeout(() => !stopping && launch(name, args, next), delay);
    });
  };
  return {
    running,
    start: () => CHILDREN.forEach((c) => launch(c.name, c.args)),
    /** Asks every child to stop; resolves when all have exited, killing stragglers after `killAfterMs`. */
    stop(killAfterMs: number): Promise<void> {
      stopping = true;
      for (const child of running.values()) child.kill('SIGTERM');
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          for (const [name, child] of running) {
            log.error({ child: name, pid: child.pid }, 'did not stop in time; killed');
            signalGroup(child, 'SIGKILL');
          }
        }, killAfterMs);
        const check = setInterval(() => {
          if (running.size > 0) return;
          clearInterval(check);
          clearTimeout(force);
          resolve();
        }, 50);
      });
    },
    kill: () => running.forEach((child) => signalGroup(child, 'SIGKILL')),
  };
}

await runCli(async () => {
  const config = loadConfig(); // fail fast, in one line, on bad configuration
  const log = createLogger('supervisor', config.LOG_LEVEL);
  const children = superviseChildren(log);
  children.start();

  await new Promise<void>((resolve) => {
    let stoppingSince = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stoppingSince) {
        if (Date.now() - stoppingSince < SAME_SIGNAL_WINDOW_MS) return;
        log.warn({ signal }, 'second signal: killing children now');
        children.kill();
        return;
      }
      stoppingSince = Date.now();
      log.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'stopping children');
      void children.stop(config.SHUTDOWN_GRACE_MS + EXIT_MARGIN_MS).then(resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  log.info('all children stopped');
});
