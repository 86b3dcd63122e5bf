import { describe, expect, it } from 'vitest';
import { isAllowlisted, isPrivateAddress } from './address-guard';

describe('isPrivateAddress', () => {
  it('flags loopback, private, link-local and mapped addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::5',
      '::ffff:127.0.0.1',
      '100.64.0.1',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
  });
  it('passes public addresses', () => {
    for (const a of ['202.107.200.1', '8.8.8.8', '2400:3200::1', '172.32.0.1']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });
});

describe('isAllowlisted', () => {
  it('host entries admit any port; host:port entries only that port', () => {
    expect(isAllowlisted(new URL('http://127.0.0.1:8808/'), ['127.0.0.1'])).toBe(true);
    expect(isAllowlisted(new URL('http://127.0.0.1:8808/'), ['127.0.0.1:8808'])).toBe(true);
    expect(isAllowlisted(new URL('http://127.0.0.1:9999/'), ['127.0.0.1:8808'])).toBe(false);
    expect(isAllowlisted(new URL('http://127.0.0.1/'), ['127.0.0.1:80'])).toBe(true);
    expect(isAllowlisted(new URL('http://[::1]:8808/'), ['[::1]:8808'])).toBe(true);
    expect(isAllowlisted(new URL('http://localhost:8808/'), ['127.0.0.1'])).toBe(false);
    expect(isAllowlisted(new URL('http://MIRROR.local/'), ['mirror.local'])).toBe(true);
  });
});
