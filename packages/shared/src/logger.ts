import { pino, stdSerializers, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactSecrets } from './redact';

export type { Logger };

/** An error as pino prints it, with any password in a URL of its message or stack masked. */
function redactedError(err: unknown): unknown {
  const out = stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== 'object') return out;
  for (const key of ['message', 'stack'] as const) {
    if (typeof out[key] === 'string') out[key] = redactSecrets(out[key]);
  }
  return out;
}

/** One root logger per process; secrets and headers that may carry credentials are redacted. */
export function createLogger(
  service: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    name: service,
    level,
    base: { service },
    serializers: {
      err: redactedError,
      error: (e: unknown) => (typeof e === 'string' ? redactSecrets(e) : redactedError(e)),
    },
    // Messages are text we compose, sometimes around a URL: mask passwords there too.
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a: unknown) => (typeof a === 'string' ? redactSecrets(a) : a));
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
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
        'config.REDIS_URL',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
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
