import { loadConfig } from '../config';
import { runCli } from '../cli';
import { assertServicesReachable } from '../connectivity';
import { createDb } from './client';
import { migrateToLatest } from './migrate';

await runCli(async () => {
  const config = loadConfig();
  await assertServicesReachable({ databaseUrl: config.DATABASE_URL });
  const db = createDb(config.DATABASE_URL, { max: 1 });
  try {
    const result = await migrateToLatest(db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    const ref = result.reference;
    console.log(
      `reference data: ${ref.regions} regions, ${ref.indicators} indicators (${ref.changed} rows changed)`,
    );
  } finally {
    await db.destroy();
  }
});
