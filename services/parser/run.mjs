// `node run.mjs <main|cli> [args…]`: runs a bundle of the parser (dist/<name>.mjs), building it
// first when a source is newer (build.mjs), in one Node process: `pnpm start` runs `main` (the
// queue worker), `pnpm parse` runs `cli`. The entry's own arguments follow, as if run directly.
import process from 'node:process';
import { buildIfStale } from './build.mjs';

const ENTRIES = ['main', 'cli'];
const entry = process.argv[2];
if (!ENTRIES.includes(entry ?? '')) {
  process.stderr.write(`usage: node run.mjs <${ENTRIES.join('|')}> [args…]\n`);
  process.exit(2);
}
await buildIfStale();
// The entry reads its arguments from process.argv.slice(2): drop the entry's name from them.
process.argv.splice(2, 1);
await import(`./dist/${entry}.mjs`);
