import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '@govwire/shared';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
/** Shorter passwords are refused at start: a board that can delete jobs is worth a real one. */
export const MIN_PASSWORD_LENGTH = 12;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.trim().toLowerCase());
}

export interface Credentials {
  user: string;
  password: string;
}

export interface DashboardCredentials {
  /** Opens the read-only board and /metrics; null on a loopback-only dashboard without them. */
  reader: Credentials | null;
  /** Opens the admin board (write actions); null means there is no admin board. */
  admin: Credentials | null;
}

function pair(user: string | undefined, password: string | undefined, names: [string, string]) {
  const u = user ?? '';
  const p = password ?? '';
  if (!u && !p) return null;
  if (!u || !p) throw new Error(`set both ${names[0]} and ${names[1]}, or neither`);
  if ([...p].length < MIN_PASSWORD_LENGTH) {
    throw new Error(`${names[1]} is too short: use at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  return { user: u, password: p };
}

/**
 * The board is read-only for whoever may look (DASHBOARD_USER, or anyone on a loopback-only
 * dashboard without credentials); write actions live on a separate admin board behind its own
 * login, absent unless DASHBOARD_ADMIN_USER and _PASSWORD are set.
 */
export function dashboardCredentials(cfg: {
  DASHBOARD_HOST: string;
  DASHBOARD_USER?: string | undefined;
  DASHBOARD_PASSWORD?: string | undefined;
  DASHBOARD_ADMIN_USER?: string | undefined;
  DASHBOARD_ADMIN_PASSWORD?: string | undefined;
}): DashboardCredentials {
  const reader = pair(cfg.DASHBOARD_USER, cfg.DASHBOARD_PASSWORD, ['DASHBOARD_USER', 'DASHBOARD_PASSWORD']);
  const admin = pair(cfg.DASHBOARD_ADMIN_USER, cfg.DASHBOARD_ADMIN_PASSWORD, [
    'DASHBOARD_ADMIN_USER',
    'DASHBOARD_ADMIN_PASSWORD',
  ]);
  if (!reader && !isLoopbackHost(cfg.DASHBOARD_HOST)) {
    throw new Error(
      `refusing to serve the dashboard on ${cfg.DASHBOARD_HOST} without DASHBOARD_USER and DASHBOARD_PASSWORD ` +
        '(bind DASHBOARD_HOST=127.0.0.1 to run it without credentials)',
    );
  }
  return { reader, admin };
}

/**
 * The host names the dashboard answers to. Checking `Host:` stops DNS rebinding: a page on
 * attacker.example whose name resolves to 127.0.0.1 reaches a loopback dashboard, but its requests
 * say `Host: attacker.example`.
 */
export function allowedHosts(cfg: {
  DASHBOARD_HOST: string;
  DASHBOARD_ALLOWED_HOSTS: string[];
}): Set<string> {
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]']);
  const bound = cfg.DASHBOARD_HOST.trim().toLowerCase();
  // A wildcard bind address is no name a browser sends.
  if (bound && bound !== '0.0.0.0' && bound !== '::' && bound !== '[::]') hosts.add(hostName(bound));
  for (const h of cfg.DASHBOARD_ALLOWED_HOSTS) hosts.add(hostName(h.toLowerCase()));
  return hosts;
}

/** `Host:` without its port; IPv6 in brackets (`[::1]:3100` → `[::1]`, `::1` → `[::1]`). */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  if (h.split(':').length > 2) return `[${h}]`;
  return h.split(':')[0]!;
}

export function hostGuard(allowed: Set<string>, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const host = hostName(req.headers.host ?? '');
    if (allowed.has(host)) {
      next();
      return;
    }
    logger.warn({ host: req.headers.host, ip: req.socket.remoteAddress, path: req.path }, 'host refused');
    res
      .status(403)
      .type('text/plain')
      .send(`host "${req.headers.host ?? ''}" is not served here (add it to DASHBOARD_ALLOWED_HOSTS)\n`);
  };
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

/**
 * Failed logins per client address within a window; an address with too many is refused (429)
 * until the window has passed since its last failure, right password or not.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(ip: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(ip) ?? []).filter((t) => t > since);
    if (kept.length) this.failures.set(ip, kept);
    else this.failures.delete(ip);
    return kept;
  }

  /** Seconds until the address may try again, or 0 when it may now. */
  lockedForS(ip: string): number {
    if (this.maxFailures === 0) return 0;
    const recent = this.recent(ip);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - 1]! + this.windowMs - this.now()) / 1000));
  }

  /** Records a failure; returns how many the address has in the window. */
  fail(ip: string): number {
    const recent = this.recent(ip);
    recent.push(this.now());
    this.failures.set(ip, recent);
    return recent.length;
  }
}

export interface AuthOptions {
  realm: string;
  throttle: LoginThrottle;
  logger: Logger;
}

/** The user a request authenticated as (set by basicAuth), for the audit log. */
export function authenticatedUser(req: Request): string | null {
  return (req as Request & { govwireUser?: string }).govwireUser ?? null;
}

/**
 * Basic auth against any of `accepted` (none: open). A request carrying wrong credentials counts
 * as a failed login and is logged; a browser's first request, without any, is only challenged.
 */
export function basicAuth(accepted: Credentials[] | null, opts: AuthOptions): RequestHandler {
  return (req, res, next) => {
    if (!accepted) {
      next();
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    const lockedS = opts.throttle.lockedForS(ip);
    if (lockedS > 0) {
      res.set('Retry-After', String(lockedS)).status(429).type('text/plain').send('too many failed logins\n');
      return;
    }
    const given = parseBasicAuth(req.headers.authorization);
    const match = accepted.find((c) => checkCredentials(given, c));
    if (match) {
      (req as Request & { govwireUser?: string }).govwireUser = match.user;
      next();
      return;
    }
    if (req.headers.authorization) {
      const failures = opts.throttle.fail(ip);
      opts.logger.warn(
        { ip, user: given?.user ?? null, realm: opts.realm, path: req.path, failures },
        'dashboard login failed',
      );
    }
    res
      .set('WWW-Authenticate', `Basic realm="${opts.realm}", charset="UTF-8"`)
      .status(401)
      .send('authentication required\n');
  };
}
