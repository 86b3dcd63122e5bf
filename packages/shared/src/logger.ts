import { pino, type Logger } from 'pino';

export type { Logger };

/** One root logger per process; secrets and headers that may carry credentials are redacted. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: {
      paths: [
        'headers.authorization',
        'headers.cookie',
        'headers["set-cookie"]',
        '*.headers.authorization',
        '*.headers.cookie',
        'password',
        '*.password',
        'config.DASHBOARD_PASSWORD',
        'config.DASHBOARD_ADMIN_PASSWORD',
        'config.DATABASE_URL',
      ],
      censor: '[redacted]',
    },
  });
}

export interface JobLogContext {
  service: string;
  queue: string;
  job: string;
  jobId: string | undefined;
  attempt: number;
  url?: string | undefined;
}

export function jobLogger(root: Logger, ctx: JobLogContext): Logger {
  return root.child(ctx);
}
