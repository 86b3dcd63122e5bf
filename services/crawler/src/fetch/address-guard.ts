import { BlockList, isIP } from 'node:net';

/**
 * SSRF guard: the crawler follows links and redirects chosen by others, so it refuses hosts that
 * resolve to loopback, private, link-local, CGNAT, multicast or unspecified addresses unless the
 * host is allowlisted (`CRAWLER_ALLOWED_PRIVATE_HOSTS`).
 *
 * Allowlist matching: each entry is `host` or `host:port` (IPv6 as `[::1]` or `[::1]:8808`),
 * compared case-insensitively with the URL's host name. `host` admits every port of that host;
 * `host:port` admits only that port, where a URL without a port has its scheme's default
 * (80/443). Names are matched as written, never resolved: `localhost` does not admit `127.0.0.1`.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true; // not an address at all: refuse rather than guess
}

export function isAllowlisted(url: URL, allowlist: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowlist.some((entry) => {
    const e = entry.trim().toLowerCase();
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(e);
    if (!m) return false;
    return m[1] === host && (m[2] === undefined || m[2] === port);
  });
}
