/**
 * Runs once when the server starts. Opening the services here makes a bad
 * configuration (an invalid variable, no sandbox in production) stop the server
 * at start-up with its message, rather than fail the first learner's request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { getAppServices } = await import('./lib/server/services');
  try {
    await getAppServices();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
