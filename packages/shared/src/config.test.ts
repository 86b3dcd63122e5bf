import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.FETCH_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(c.CRAWLER_ALLOWED_PRIVATE_HOSTS).toEqual([]);
  });

  it('coerces numbers and lists', () => {
    const c = loadConfig({
      FETCH_TIMEOUT_MS: 'ignored',
      JOB_ATTEMPTS: '3',
      CRAWLER_ALLOWED_PRIVATE_HOSTS: 'a, b:8808',
    });
    expect(c.JOB_ATTEMPTS).toBe(3);
    expect(c.CRAWLER_ALLOWED_PRIVATE_HOSTS).toEqual(['a', 'b:8808']);
  });

  it('names every bad variable in one error', () => {
    let err: unknown;
    try {
      loadConfig({ REDIS_URL: 'not a url', JOB_ATTEMPTS: '-1', QUEUE_PREFIX: 'has space' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/REDIS_URL/);
    expect(problems).toMatch(/JOB_ATTEMPTS/);
    expect(problems).toMatch(/QUEUE_PREFIX/);
    expect((err as ConfigError).message.split('\n')).toHaveLength(1);
  });
});
