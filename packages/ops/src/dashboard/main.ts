import {
  assertServicesReachable,
  createLogger,
  loadConfig,
  runCli,
  runUntilSignalled,
} from '@govwire/shared';
import { startDashboard } from './server';

await runCli(async () => {
  const config = loadConfig();
  await assertServicesReachable({ redisUrl: config.REDIS_URL, databaseUrl: config.DATABASE_URL });
  const logger = createLogger('dashboard', config.LOG_LEVEL);
  const dashboard = await startDashboard(config, { logger });
  logger.info(
    {
      url: dashboard.url,
      board: `${dashboard.url}/queues`,
      admin: dashboard.admin ? `${dashboard.url}/admin` : null,
      auth: dashboard.authenticated,
    },
    'dashboard listening',
  );
  runUntilSignalled('dashboard', logger, () => dashboard.close());
});
