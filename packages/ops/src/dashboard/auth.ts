import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.trim().toLowerCase());
}

export interface Credentials {
  user: string;
  password: string;
}

/**
 * The board can retry and delete jobs, so it is never open to a network without credentials: only a
 * dashboard bound to loopback may run without them (an operator on the machine, or an SSH tunnel).
 */
export function dashboardCredentials(cfg: {
  DASHBOARD_HOST: string;
  DASHBOARD_USER?: string | undefined;
  DASHBOARD_PASSWORD?: string | undefined;
}): Credentials | null {
  const user = cfg.DASHBOARD_USER ?? '';
  const password = cfg.DASHBOARD_PASSWORD ?? '';
  if (user && password) return { user, password };
  if (user || password) throw new Error('set both DASHBOARD_USER and DASHBOARD_PASSWORD, or neither');
  if (!isLoopbackHost(cfg.DASHBOARD_HOST)) {
    throw new Error(
      `refusing to serve the dashboard on ${cfg.DASHBOARD_HOST} without DASHBOARD_USER and DASHBOARD_PASSWORD ` +
        '(bind DASHBOARD_HOST=127.0.0.1 to run it without credentials)',
    );
  }
  return null;
}

/** Compares digests, so neither the length nor the content of a guess leaks through timing. */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function parseBasicAuth(header: string | undefined): Credentials | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export function checkCredentials(given: Credentials | null, expected: Credentials): boolean {
  if (!given) return false;
  // Both compared every time: no early exit that tells a right user name from a wrong one.
  const userOk = sameSecret(given.user, expected.user);
  const passOk = sameSecret(given.password, expected.password);
  return userOk && passOk;
}

export function basicAuth(expected: Credentials | null): RequestHandler {
  return (req, res, next) => {
    if (!expected || checkCredentials(parseBasicAuth(req.headers.authorization), expected)) {
      next();
      return;
    }
    res
      .set('WWW-Authenticate', 'Basic realm="govwire", charset="UTF-8"')
      .status(401)
      .send('authentication required\n');
  };
}
