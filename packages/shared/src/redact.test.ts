import { describe, expect, it } from 'vitest';
import { describeCliError } from './cli';
import { createLogger } from './logger';
import { redactSecrets, redactUrl, withoutPassword } from './redact';

describe('redactSecrets', () => {
  it.each([
    ['redis://:s3cret@cache.internal:6379/0', 'redis://:***@cache.internal:6379/0'],
    ['redis://default:s3cret@cache.internal:6379', 'redis://default:***@cache.internal:6379'],
    ['rediss://:pw@host', 'rediss://:***@host'],
    ['postgres://govwire:p%40ss@db:5432/govwire', 'postgres://govwire:***@db:5432/govwire'],
    [
      'postgresql://u:pw@db/x?sslmode=require&password=again',
      'postgresql://u:***@db/x?sslmode=require&password=***',
    ],
  ])('masks the password of %s', (url, masked) => {
    expect(redactUrl(url)).toBe(masked);
  });

  it('leaves URLs without a password as they are', () => {
    for (const url of [
      'redis://127.0.0.1:6379',
      'postgres://postgres@127.0.0.1:5432/test',
      'https://a.gov.cn/x?y=1',
    ]) {
      expect(redactSecrets(url)).toBe(url);
    }
  });

  it('masks every URL inside a longer text, an error message say', () => {
    const text =
      'cannot reach Redis at redis://:hunter2@10.0.0.5:6379 nor PostgreSQL at postgres://app:hunter3@10.0.0.6/db';
    const out = redactSecrets(text);
    expect(out).not.toMatch(/hunter/);
    expect(out).toContain('redis://:***@10.0.0.5:6379');
    expect(out).toContain('postgres://app:***@10.0.0.6/db');
  });

  it('withoutPassword drops the password so psql asks for it', () => {
    expect(withoutPassword('postgres://postgres:govwire@127.0.0.1:54329/govwire')).toBe(
      'postgres://postgres@127.0.0.1:54329/govwire',
    );
    expect(withoutPassword('postgres://postgres@127.0.0.1/test')).toBe('postgres://postgres@127.0.0.1/test');
  });

  it('a CLI error line built from an error message carries no password', () => {
    const line = describeCliError(new Error('connect to redis://:topsecret@h:1 failed'));
    expect(line).toContain('redis://:topsecret@h:1'); // describeCliError is the raw text…
    expect(redactSecrets(line)).not.toContain('topsecret'); // …runCli masks it before printing
  });

  it('the logger masks passwords in messages and errors', () => {
    const lines: string[] = [];
    const logger = createLogger('t', 'info', { write: (s: string) => void lines.push(s) });
    logger.error({ err: new Error('redis://:pw1@h:6379 refused') }, 'lost postgres://u:pw2@db/x');
    logger.warn({ error: 'AUTH failed for redis://:pw3@h' }, 'retrying');
    const out = lines.join('');
    expect(out).not.toMatch(/pw[123]/);
    expect(out).toContain('redis://:***@h:6379');
    expect(out).toContain('postgres://u:***@db/x');
  });
});
