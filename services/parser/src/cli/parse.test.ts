import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(ROOT, 'services/parser/src/cli/parse.ts');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const SEED = join(ROOT, 'seeds/documents/000_470bb5686944492e.txt');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [CLI, ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'govwire-parse-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pnpm parse', () => {
  it('prints one JSON article for one file', async () => {
    const r = await run([SEED]);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(a.file).toBe(SEED);
    expect(a.publishedAt).toBe('2023-03-28');
    expect(a.language).toBe('mixed');
    expect(String(a.text)).toContain('地区生产总值1901亿元');
    expect(Object.keys(a.removed as object).sort()).toEqual(['boilerplate', 'spamLinks', 'spamTerms']);
    expect(Array.isArray(a.metrics)).toBe(true);
  }, 60_000);

  it('prints one line per file, in order, with error objects for what it cannot parse, and exits non-zero', async () => {
    const png = join(dir, 'image.png');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    const pdf = join(dir, 'doc.pdf');
    writeFileSync(pdf, '%PDF-1.7\n1 0 obj\n');
    const empty = join(dir, 'empty.html');
    writeFileSync(empty, '<html><body><nav><a href="/">首页</a></nav></body></html>');
    const missing = join(dir, 'missing.txt');
    const r = await run([SEED, png, pdf, empty, missing]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    const out = r.stdout
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { file: string; error?: { code: string; message: string }; title?: string },
      );
    expect(out.map((o) => o.file)).toEqual([SEED, png, pdf, empty, missing]);
    expect(out[0]!.error).toBeUndefined();
    expect(out[1]!.error?.code).toBe('not_text');
    expect(out[2]!.error?.code).toBe('not_text');
    expect(out[3]!.error?.code).toBe('no_article');
    expect(out[4]!.error?.code).toBe('not_found');
  }, 60_000);
});
