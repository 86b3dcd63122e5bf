import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandInputs, readBounded } from '../src/ingest/ingest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// `pnpm ingest` takes regular files within FETCH_MAX_BYTES only: /dev/zero once grew it to 12.5 GB,
// and a FIFO made it hang forever.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'govwire-ingest-'));
  writeFileSync(path.join(dir, 'ok.html'), '<p>柯桥区</p>');
  writeFileSync(path.join(dir, 'big.html'), 'x'.repeat(5000));
  execFileSync('mkfifo', [path.join(dir, 'pipe.html')]);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest inputs', () => {
  it('takes regular files within the limit and refuses devices, FIFOs and big files by their stat', async () => {
    const fifo = path.join(dir, 'pipe.html');
    const r = await expandInputs(
      ['/dev/zero', fifo, path.join(dir, 'big.html'), path.join(dir, 'ok.html'), '/nope'],
      1000,
    );
    expect(r.files).toEqual([path.join(dir, 'ok.html')]);
    expect(r.rejected).toEqual([
      { path: '/dev/zero', reason: 'a character device: ingest reads regular files only' },
      { path: fifo, reason: 'a FIFO: ingest reads regular files only' },
      { path: path.join(dir, 'big.html'), reason: '5000 bytes, more than FETCH_MAX_BYTES (1000)' },
      { path: '/nope', reason: 'no such file or directory' },
    ]);
    // A directory walk refuses the FIFO inside it the same way, without opening it.
    const walked = await expandInputs([dir], 1000);
    expect(walked.files).toEqual([path.join(dir, 'ok.html')]);
    expect(walked.rejected.map((x) => path.basename(x.path))).toEqual(['big.html', 'pipe.html']);
  });

  it('reads within the limit even when a file is swapped or grows after the stat', async () => {
    expect((await readBounded(path.join(dir, 'ok.html'), 1000)).toString()).toBe('<p>柯桥区</p>');
    await expect(readBounded(path.join(dir, 'big.html'), 1000)).rejects.toThrow(/more than FETCH_MAX_BYTES/);
    await expect(readBounded(path.join(dir, 'pipe.html'), 1000)).rejects.toThrow(/a FIFO/);
    await expect(readBounded('/dev/zero', 1000)).rejects.toThrow(/a character device/);
  });

  it('pnpm ingest /dev/zero fails at once with one line', () => {
    const r = spawnSync(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['packages/ops/src/ingest/main.ts', '/dev/zero'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: /dev/zero: a character device: ingest reads regular files only',
    ]);
  });
});
