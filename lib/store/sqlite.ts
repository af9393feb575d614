import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { ProgressStore } from './progress-store';
import type { Database } from './schema';

/** The database file inside the data directory. */
export const DATABASE_FILE = 'course.sqlite';

/**
 * Opens (creating if needed) the SQLite database in `dataDir`, or an in-memory
 * one for ":memory:", and applies pending migrations before returning.
 */
export async function openSqliteStore(dataDir: string | ':memory:'): Promise<ProgressStore> {
  const store = new ProgressStore(openSqliteDatabase(dataDir));
  await store.migrate();
  return store;
}

/** The Kysely handle on the SQLite database, not yet migrated; ProgressStore.migrate() does that. */
export function openSqliteDatabase(dataDir: string | ':memory:'): Kysely<Database> {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, DATABASE_FILE);
  }
  const database = new Sqlite(file);
  // WAL lets readers proceed while a write commits; a busy timeout rides out a
  // second process (a build worker, a restart) holding the write lock briefly.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}
