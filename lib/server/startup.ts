import { getAppServices, getServerCourse } from './services';

/**
 * Opens the services and reads the course at server start, so a configuration
 * error ends the process with its message, and the first learner's request
 * does not wait for every lesson and lab to be compiled. Opening the services
 * also installs, once per process, the handlers that end every execution
 * environment when the process is stopped, which `npm run dev`, with no
 * server.ts of its own, relies on (services.ts, "Stopping the process").
 */
export async function startServices(): Promise<void> {
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  try {
    await getAppServices();
    await getServerCourse();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
