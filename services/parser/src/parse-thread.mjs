// The entry of a parse worker thread (see parse-pool.ts). Plain JavaScript on purpose: a worker
// thread does not inherit the TypeScript loader of its parent under every runner (vitest, tsx,
// node --import), so it registers tsx itself before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./parse-thread-worker.ts');

export default worker.parseTask;
