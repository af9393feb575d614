import { getAppServices } from './services';

/** Opens the services at server start; a configuration error ends the process with its message. */
export async function startServices(): Promise<void> {
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  try {
    await getAppServices();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
