import { readFileSync, writeFileSync } from 'node:fs';
import { configSchema, loadConfig } from './config';

/**
 * The README's configuration table, generated from the schema so the docs cannot drift from the
 * code: `pnpm -s tsx packages/shared/src/config-docs.ts --write` rewrites it in README.md, and a
 * test fails when the README's table is not what this prints.
 */
export const TABLE_START = '<!-- config-table:start -->';
export const TABLE_END = '<!-- config-table:end -->';

export function configTable(): string {
  const defaults = loadConfig({}) as Record<string, unknown>;
  const rows = Object.entries(configSchema.shape).map(([name, schema]) => {
    const def = defaults[name];
    const shown =
      def === undefined
        ? '(none)'
        : Array.isArray(def)
          ? def.length
            ? def.join(',')
            : '(empty)'
          : String(def);
    return `| \`${name}\` | \`${shown}\` | ${schema.description ?? ''} |`;
  });
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function replaceTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README has no ${TABLE_START} … ${TABLE_END} block`);
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

if (process.argv[1]?.endsWith('config-docs.ts')) {
  const table = configTable();
  if (process.argv.includes('--write')) {
    const path = new URL('../../../README.md', import.meta.url);
    writeFileSync(path, replaceTable(readFileSync(path, 'utf8'), table));
  } else {
    console.log(table);
  }
}
