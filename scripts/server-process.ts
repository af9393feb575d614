import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the production build (`next build` must have run) on its own port and
 * data directory, for tests that restart the server and for benchmarks. It
 * listens on 127.0.0.1 only and is stopped by the caller.
 */
export async function startServer(port: number, dataDir: string): Promise<RunningServer> {
  const child: ChildProcess = spawn(path.join(import.meta.dirname, '..', 'node_modules', '.bin', 'next'), ['start', '--hostname', '127.0.0.1', '--port', String(port)], {
    env: { ...process.env, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' },
    cwd: path.join(import.meta.dirname, '..'),
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null) throw new Error(`The server on port ${port} exited with ${child.exitCode}.`);
    if (Date.now() > deadline) throw new Error(`The server on port ${port} did not start within 30 s.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
