// Bundles the parser for Node: dist/main.mjs (the queue worker, `pnpm start`), dist/parse-thread.mjs
// (a parse thread) and dist/cli.mjs (`pnpm parse`), each one file. `--if-stale` (what both scripts
// run first) builds only when a file the bundle was made from is newer than it, or it is missing:
// nothing runs stale code, and most runs skip the build (1-3 s on a busy machine) for a check
// that costs about Node's own start. Why: under tsx, each of the ~450 modules the service loads
// (kysely alone is 262 files) goes through the loader's hooks, and start-up took seconds; one
// bundled file loads in a fraction of that (the CLI on one page: 0.26 s of CPU against 0.7 s).
// Tests and the type check still run the TypeScript sources.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const here = (path) => join(import.meta.dirname, path);
const WORKSPACE_PACKAGES = here('../../packages/');

/**
 * Workspace packages other than the parser keep their own location for `import.meta.url` (shared
 * reads its package.json and requires jschardet relative to itself). The parser's own files need
 * no such help: dist/ sits beside src/, so `../data/` and `./parse-thread.mjs` resolve the same.
 */
const ownLocation = {
  name: 'own-location',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      if (!path.startsWith(WORKSPACE_PACKAGES)) return undefined;
      const source = await readFile(path, 'utf8');
      const url = JSON.stringify(pathToFileURL(path).href);
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

const META = here('./dist/meta.json');

/** Whether every input of the last build (from esbuild's metafile) is older than its outputs. */
async function upToDate() {
  try {
    const meta = JSON.parse(await readFile(META, 'utf8'));
    const mtime = async (p) => (await stat(join(import.meta.dirname, p))).mtimeMs;
    const outputs = await Promise.all(meta.outputs.map(mtime));
    const inputs = await Promise.all([...meta.inputs, 'build.mjs'].map(mtime));
    return Math.max(...inputs) <= Math.min(...outputs);
  } catch {
    return false; // no bundle yet, or an input is gone
  }
}

/** Builds the bundles. */
export async function buildBundles() {
  // Loaded only to build: the staleness check alone should cost little more than Node's start.
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: import.meta.dirname,
    metafile: true,
    entryPoints: {
      main: here('./src/main.ts'),
      'parse-thread': here('./src/parse-thread-worker.ts'),
      cli: here('./src/cli/parse.ts'),
    },
    outdir: here('./dist'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // piscina starts its own worker file from its package; pg-native is an optional addon pg probes.
    external: ['piscina', 'pg-native'],
    // Bundled CommonJS packages (bullmq, pg, pino) call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as createRequireInBundle } from 'node:module'; const require = createRequireInBundle(import.meta.url);",
    },
    plugins: [ownLocation],
    logLevel: 'warning',
    write: false,
  });
  // Each file is written whole and renamed into place, and the metafile last: two processes that
  // start at once and both find the bundle stale (a fresh clone) never load a half-written file.
  await mkdir(here('./dist'), { recursive: true });
  for (const file of result.outputFiles) await replaceFile(file.path, file.contents);
  const { inputs, outputs } = result.metafile;
  await replaceFile(META, JSON.stringify({ inputs: Object.keys(inputs), outputs: Object.keys(outputs) }));
}

async function replaceFile(path, contents) {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

/** Builds the bundles unless they are newer than every file they were made from. */
export async function buildIfStale() {
  if (!(await upToDate())) await buildBundles();
}

// Run as a command (not imported by run.mjs): build, or with --if-stale only when stale.
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await (process.argv.includes('--if-stale') ? buildIfStale() : buildBundles());
}
