import { assertServicesReachable, loadConfig, runCli } from '@govwire/shared';
import { createOpsContext, silentProgress } from './context';
import { createProgress } from './progress';
import { runOps } from './program';

const args = process.argv.slice(2);
// Help needs no services; every command does, and must say so at once when one is down.
const wantsHelp =
  args.length === 0 || args.some((a) => ['-h', '--help', 'help', '-V', '--version'].includes(a));

await runCli(async () => {
  const config = loadConfig();
  if (!wantsHelp)
    await assertServicesReachable({ redisUrl: config.REDIS_URL, databaseUrl: config.DATABASE_URL });
  return runOps(args, {
    makeContext: ({ json }) =>
      createOpsContext(config, {
        note: json ? () => {} : (line) => process.stderr.write(`${line}\n`),
        progress: json ? silentProgress : createProgress(process.stderr),
      }),
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  });
});
