import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from './config';
import { configTable, replaceTable } from './config-docs';

describe('configuration docs', () => {
  it('describe every variable', () => {
    const undocumented = Object.entries(configSchema.shape)
      .filter(([, schema]) => !schema.description)
      .map(([name]) => name);
    expect(undocumented).toEqual([]);
  });

  it('the README table is the one generated from the schema', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    // Regenerate with: pnpm -s tsx packages/shared/src/config-docs.ts --write
    // (compared modulo the cell padding a Markdown formatter may add)
    const cells = (md: string) => md.replace(/ *\| */g, '|').replace(/-{3,}/g, '---');
    expect(cells(replaceTable(readme, configTable()))).toBe(cells(readme));
  });
});
