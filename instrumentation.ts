/**
 * Runs once when the server starts. Opening the services here makes a bad
 * configuration (an invalid variable, no sandbox in production) stop the server
 * at start-up with its message, rather than fail the first learner's request.
 */
export async function register(): Promise<void> {
  // Written as Next.js documents it, so the Edge build drops the Node-only import.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startServices } = await import('./lib/server/startup');
    await startServices();
  }
}
