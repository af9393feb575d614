import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** How long a stopping server may take to close its connections before it is killed. */
const STOP_GRACE_MS = 3000;

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the production build (`next build` must have run) on its own port and
 * data directory, for tests that restart the server and for benchmarks. It
 * listens on 127.0.0.1 only and is stopped by the caller. `env` adds to its
 * environment (configuration such as RUNNER_MAX_ENVIRONMENTS).
 */
export async function startServer(
  port: number,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const url = `http://127.0.0.1:${port}`;
  if (await answers(url))
    throw new Error(`Port ${port} is already serving; stop that server first.`);
  // Its own process group: `next start` runs the server in a child process, and
  // stopping must reach both.
  const child: ChildProcess = spawn(
    path.join(import.meta.dirname, '..', 'node_modules', '.bin', 'next'),
    ['start', '--hostname', '127.0.0.1', '--port', String(port)],
    {
      env: { ...process.env, ...env, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' },
      cwd: path.join(import.meta.dirname, '..'),
      stdio: 'ignore',
      detached: true,
    },
  );
  const deadline = Date.now() + 30_000;
  while (!(await answers(url))) {
    if (child.exitCode !== null)
      throw new Error(`The server on port ${port} exited with ${child.exitCode}.`);
    if (Date.now() > deadline)
      throw new Error(`The server on port ${port} did not start within 30 s.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    async stop() {
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // Already gone.
        }
      };
      // A graceful stop can wait on browsers' keep-alive connections: kill after a grace period.
      signalGroup('SIGTERM');
      const graceEnds = Date.now() + STOP_GRACE_MS;
      while (await answers(url)) {
        if (Date.now() > graceEnds) signalGroup('SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      signalGroup('SIGKILL');
    },
  };
}

/** True while something on the port answers HTTP. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}
