import { loadConfig, runCli } from '@govwire/shared';
import { createOpsContext, silentProgress } from './context';
import { createProgress } from './progress';
import { runOps } from './program';

await runCli(() =>
  runOps(process.argv.slice(2), {
    makeContext: ({ json }) =>
      createOpsContext(loadConfig(), {
        note: json ? () => {} : (line) => process.stderr.write(`${line}\n`),
        progress: json ? silentProgress : createProgress(process.stderr),
      }),
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  }),
);
