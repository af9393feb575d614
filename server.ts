/**
 * The production server: Next.js's request handler behind lib/http's edge, which
 * `next start` cannot give (per-client connection caps, request rate, timeouts).
 * See docs/decisions/004-custom-server.md. Usage:
 *   node --import tsx/esm server.ts [--hostname 127.0.0.1] [--port 3000]
 * PORT sets the port when --port is absent; without --hostname it listens on
 * every interface, as `next start` does.
 */
import { parseArgs } from 'node:util';
import { loadHttpEdgeConfig } from './lib/server/config';
import { createEdgeServer } from './lib/http/edge-server';
import { disposeAppServices, leaveShutdownToCaller } from './lib/server/services';

/** How long in-flight requests may take to finish after SIGTERM or SIGINT. */
const SHUTDOWN_GRACE_MS = 10_000;

// This file stops the process (stop() below): lib/server's own signal handlers, meant for `next dev`, stand aside.
leaveShutdownToCaller();

const { values } = parseArgs({
  options: { hostname: { type: 'string' }, port: { type: 'string' } },
});
const edge = loadHttpEdgeConfig(
  values.port === undefined ? process.env : { ...process.env, PORT: values.port },
);

// Before Next.js loads: it and lib/server read NODE_ENV when their modules load.
Object.assign(process.env, { NODE_ENV: 'production' });
const { default: next } = await import('next');
const app = next({
  dev: false,
  dir: import.meta.dirname,
  hostname: values.hostname ?? 'localhost',
  port: edge.port,
});
await app.prepare();

const server = createEdgeServer({ limits: edge, handle: app.getRequestHandler() });
server.on('error', (error) => {
  console.error('The server could not start:', error);
  process.exit(1);
});
server.listen(edge.port, values.hostname, () => {
  console.log(`Ready on http://${values.hostname ?? 'localhost'}:${edge.port}`);
});

let stopping = false;
function stop(signal: 'SIGINT' | 'SIGTERM', exitCode: number): void {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: closing the server.`);
  // Past the grace period, lib/server's 'exit' hook still ends every execution environment.
  setTimeout(() => process.exit(exitCode), SHUTDOWN_GRACE_MS).unref();
  server.close(() => {
    // Execution environments end with the server: none is left frozen in its cgroup.
    void Promise.allSettled([app.close(), disposeAppServices()]).finally(() =>
      process.exit(exitCode),
    );
  });
  server.closeIdleConnections();
}
process.on('SIGINT', () => stop('SIGINT', 130));
process.on('SIGTERM', () => stop('SIGTERM', 143));
