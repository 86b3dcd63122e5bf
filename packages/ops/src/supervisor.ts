import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig, runCli } from '@govwire/shared';

/**
 * `pnpm start` for small installs: the three workers and the scheduler as child processes of one
 * supervisor. A child that dies is restarted with exponential backoff (reset after a minute of
 * uptime); SIGTERM/SIGINT is passed on so each child finishes its active jobs before exiting.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CHILDREN = [
  { name: 'crawler', entry: 'services/crawler/src/main.ts' },
  { name: 'parser', entry: 'services/parser/src/main.ts' },
  { name: 'indexer', entry: 'services/indexer/src/main.ts' },
  { name: 'scheduler', entry: 'services/crawler/src/scheduler-main.ts' },
] as const;
const STOP_GRACE_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

await runCli(async () => {
  const config = loadConfig(); // fail fast, in one line, on bad configuration
  const log = createLogger('supervisor', config.LOG_LEVEL);
  const running = new Map<string, ChildProcess>();
  let stopping = false;

  const launch = (name: string, entry: string, attempt = 0) => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
      cwd: root,
      stdio: 'inherit',
      env: process.env,
    });
    running.set(name, child);
    log.info({ child: name, pid: child.pid }, 'started');
    child.on('exit', (code, signal) => {
      running.delete(name);
      if (stopping) return;
      const next = Date.now() - startedAt > 60_000 ? 0 : attempt + 1;
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, next - 1)) * (next === 0 ? 0 : 1);
      log.error({ child: name, code, signal, restartInMs: delay }, 'exited unexpectedly; restarting');
      setTimeout(() => !stopping && launch(name, entry, next), delay);
    });
  };
  for (const c of CHILDREN) launch(c.name, c.entry);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        for (const child of running.values()) child.kill('SIGKILL');
        return;
      }
      stopping = true;
      log.info({ signal }, 'stopping children');
      for (const child of running.values()) child.kill('SIGTERM');
      const force = setTimeout(() => {
        for (const child of running.values()) child.kill('SIGKILL');
      }, STOP_GRACE_MS);
      const check = setInterval(() => {
        if (running.size === 0) {
          clearInterval(check);
          clearTimeout(force);
          resolve();
        }
      }, 100);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  log.info('all children stopped');
});
