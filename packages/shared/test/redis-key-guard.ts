import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { loadConfig } from '../src/config';
// createRedis rather than ioredis itself: vitest's loader of global setups cannot resolve ioredis here.
import { createRedis } from '../src/queue';
import { TEST_RUN_ENV, testPrefixStem } from '../src/testing';

/**
 * Global setup of the integration tests: tests must delete every Redis key they create, and a test
 * that forgets leaves keys on the machine's Redis that nobody notices. This names the run (every
 * test prefix carries the name, see testConfig) and, once every test file has finished, fails the
 * run if any key of this run is still there. Keys of other runs sharing the Redis do not match;
 * neither does a prefix a test makes by hand, so tests take theirs from testConfig.
 * The leftovers are listed, then deleted so they do not pile up on the machine: the failure stays.
 */
export default function setup(): () => Promise<void> {
  const run = randomBytes(4).toString('hex');
  // Set before the test processes start: they inherit it.
  process.env[TEST_RUN_ENV] = run;
  return async () => {
    const pattern = `${testPrefixStem(run)}_*`;
    // Its connection errors need no report: the tests that needed Redis have already failed.
    const redis = createRedis(loadConfig().REDIS_URL, () => undefined);
    try {
      const left = await scanKeys(redis, pattern);
      if (!left.length) return;
      await redis.del(...left);
      // vitest exits with this code once every teardown is done.
      process.exitCode = 1;
      console.error(
        `\nRedis keys left behind by this test run (${left.length}, now deleted): a test did not ` +
          `delete its queue prefix, or something wrote under it after the delete.\n` +
          left
            .sort()
            .map((k) => `  ${k}`)
            .join('\n'),
      );
    } finally {
      redis.disconnect();
    }
  };
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}
