import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  Migrator,
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from 'kysely';
import { syncReferenceData, type ReferenceSyncResult } from './reference-data';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Kysely's FileMigrationProvider imports from inside node_modules, where neither tsx nor vitest
 * transform TypeScript; importing from our own source lets both runtimes load `.ts` migrations.
 * Files are applied in name order, so names start with a timestamp.
 */
class SourceMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(MIGRATIONS_DIR))
      .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const mod = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as Migration;
      migrations[file.replace(/\.(ts|js)$/, '')] = mod;
    }
    return migrations;
  }
}

/**
 * Runs every pending migration, then loads the reference data files into their tables (the data
 * changes with the code, so no migration may read it); throws with the failing migration's name.
 */
export async function migrateToLatest(
  db: Kysely<any>,
): Promise<MigrationResultSet & { reference: ReferenceSyncResult }> {
  const migrator = new Migrator({ db, provider: new SourceMigrationProvider() });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed} failed: ${reason}`, { cause: result.error });
  }
  return { ...result, reference: await syncReferenceData(db) };
}
