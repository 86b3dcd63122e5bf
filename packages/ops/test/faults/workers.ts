import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * The workers as an operator runs them: `pnpm start` (the supervisor, with the crawler, parser,
 * indexer and scheduler as child processes). Their pids and restarts are read from the supervisor's
 * log lines; every line goes to a file for a post-mortem.
 */
export const CHILDREN = ['crawler', 'parser', 'indexer', 'scheduler'] as const;
export type ChildName = (typeof CHILDREN)[number];

/** The line each child logs once it takes work. */
const READY: Record<ChildName, string> = {
  crawler: 'crawler started',
  parser: 'parser started',
  indexer: 'indexer started',
  scheduler: 'sources synced',
};

interface ChildState {
  pid: number;
  startedAt: number;
  ready: boolean;
}

export class Supervised {
  private proc: ChildProcess | undefined;
  private readonly children = new Map<ChildName, ChildState>();
  private readonly exits = new Map<ChildName, number>();
  private log: WriteStream | undefined;

  constructor(
    private readonly root: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
  ) {}

  start(): void {
    this.log = createWriteStream(this.logFile);
    // Its own process group, so the whole tree can be stopped however pnpm passes signals on.
    this.proc = spawn('pnpm', ['start'], {
      cwd: this.root,
      env: this.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.proc.stdout!, this.proc.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
  }

  private onLine(line: string): void {
    this.log?.write(`${line}\n`);
    let entry: { service?: string; child?: string; pid?: number; msg?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    const child = entry.child as ChildName | undefined;
    if (entry.service === 'supervisor' && child && CHILDREN.includes(child)) {
      if (entry.msg === 'started' && entry.pid) {
        this.children.set(child, { pid: entry.pid, startedAt: Date.now(), ready: false });
      } else if (entry.msg?.startsWith('exited unexpectedly')) {
        this.exits.set(child, (this.exits.get(child) ?? 0) + 1);
      }
      return;
    }
    for (const name of CHILDREN) {
      const state = this.children.get(name);
      if (state && entry.service === name && entry.msg === READY[name]) state.ready = true;
    }
  }

  /** Resolves when every child has started and logged that it is ready. */
  async ready(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!CHILDREN.every((c) => this.children.get(c)?.ready)) {
      if (Date.now() > deadline) {
        const missing = CHILDREN.filter((c) => !this.children.get(c)?.ready);
        throw new Error(
          `workers not ready after ${timeoutMs} ms: ${missing.join(', ')} (see ${this.logFile})`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  child(name: ChildName): ChildState {
    const state = this.children.get(name);
    if (!state) throw new Error(`${name} has not started`);
    return state;
  }

  /** SIGKILL, as the OOM killer or a power cut would; returns the pid killed. */
  kill(name: ChildName): number {
    const { pid } = this.child(name);
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** Waits for the supervisor to restart a child killed as `oldPid`, and for it to be ready. */
  async restarted(name: ChildName, oldPid: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.children.get(name);
      if (s && s.pid !== oldPid && s.ready) return;
      if (Date.now() > deadline) throw new Error(`${name} not restarted after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** How many times each child exited unexpectedly so far. */
  exitCounts(): Record<ChildName, number> {
    return Object.fromEntries(CHILDREN.map((c) => [c, this.exits.get(c) ?? 0])) as Record<ChildName, number>;
  }

  /** The children whose current process is not running. */
  dead(): ChildName[] {
    return CHILDREN.filter((c) => {
      const s = this.children.get(c);
      if (!s) return true;
      try {
        process.kill(s.pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  }

  /** Peak resident memory (VmHWM) of a child's current process, in MB. */
  peakRssMb(name: ChildName): number {
    const status = readFileSync(`/proc/${this.child(name).pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  }

  /** SIGTERM to the whole process group; SIGKILL what is left after the grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    const proc = this.proc;
    if (!proc?.pid) return;
    const exited = new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
    const group = (signal: NodeJS.Signals) => {
      try {
        process.kill(-proc.pid!, signal);
      } catch {
        // the group is gone
      }
    };
    group('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
    group('SIGKILL');
    for (const c of CHILDREN) {
      const s = this.children.get(c);
      if (s) {
        try {
          process.kill(s.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    this.log?.end();
  }
}
