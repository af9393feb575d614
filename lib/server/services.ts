import { getProjectCourse, type Course } from '../content';
import { loadConfig, type AppConfig } from '../config';
import { openSqliteStore, type ProgressStore } from '../store';

export interface AppServices {
  config: AppConfig;
  store: ProgressStore;
}

/** Development re-reads the course on every request so edits show at once. */
export const IS_DEVELOPMENT = process.env.NODE_ENV !== 'production';

const GLOBAL_KEY = Symbol.for('serverless-course.services');
type GlobalWithServices = typeof globalThis & { [GLOBAL_KEY]?: Promise<AppServices> };

/**
 * The process's configuration and database, created on first use. Kept on
 * globalThis so development hot reloads reuse one database connection.
 */
export function getAppServices(): Promise<AppServices> {
  const holder = globalThis as GlobalWithServices;
  holder[GLOBAL_KEY] ??= (async () => {
    const config = loadConfig();
    const store = await openSqliteStore(config.dataDir);
    return { config, store };
  })().catch((error: unknown) => {
    holder[GLOBAL_KEY] = undefined;
    throw error;
  });
  return holder[GLOBAL_KEY];
}

/** The course the server answers about. */
export async function getServerCourse(): Promise<Course> {
  return (await getProjectCourse({ reload: IS_DEVELOPMENT })).course;
}
