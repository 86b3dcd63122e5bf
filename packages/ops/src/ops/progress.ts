import cliProgress from 'cli-progress';
import type { ProgressReporter } from './context';

/** A bar on a terminal; on a pipe or in CI, a plain line every ~10% so logs stay readable. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (stream.isTTY) {
    let bar: cliProgress.SingleBar | undefined;
    return {
      start(total, label) {
        bar = new cliProgress.SingleBar(
          {
            format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`,
            stream,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      },
      tick(n = 1) {
        bar?.increment(n);
      },
      stop() {
        bar?.stop();
        bar = undefined;
      },
    };
  }
  let total = 0;
  let done = 0;
  let nextReport = 0;
  let name = '';
  return {
    start(t, label) {
      total = t;
      done = 0;
      name = label;
      nextReport = Math.max(1, Math.ceil(t / 10));
    },
    tick(n = 1) {
      done += n;
      if (done >= nextReport || done === total) {
        stream.write(`${name}: ${done}/${total}\n`);
        nextReport = done + Math.max(1, Math.ceil(total / 10));
      }
    },
    stop() {},
  };
}
