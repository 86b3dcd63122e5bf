/** Timers fire late, not early; the last stretch of a wait is spun in event-loop turns instead. */
const SPIN_MS = 2;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const turn = () => new Promise<void>((r) => setImmediate(r));

/**
 * Resolves at `performance.now()` time `at`, never before, and as close after as the process is
 * scheduled: a timer to within SPIN_MS of it, then event-loop turns (other work still runs).
 * A politeness slot's start is waited for this way: every millisecond late is budget lost.
 */
export async function waitUntil(at: number): Promise<void> {
  const ms = at - performance.now();
  if (ms > SPIN_MS) await sleep(ms - SPIN_MS);
  while (performance.now() < at) await turn();
}
