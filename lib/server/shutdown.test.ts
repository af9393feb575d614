import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, vi } from 'vitest';

/**
 * Stopping the course server ends every execution environment it started,
 * frozen or busy, and removes their cgroups, however it is stopped. The fixture
 * (fixtures/app-server.ts) opens the real services and stands in for:
 * - `npm run dev` (next dev): the parent passes SIGINT or SIGTERM on to its
 *   worker, which holds the services, and SIGKILLs it 100 ms later
 *   (next/dist/cli/next-dev.js, NEXT_EXIT_TIMEOUT_MS); Next.js's own handler
 *   in the worker would exit later still. So the test does what that parent
 *   does: the signal, then SIGKILL after 100 ms.
 * - `next start`: the same handler of Next.js's, with no parent to kill it.
 * - `npm start` (server.ts): its own handler disposes the services, then exits.
 * - a process with no other handler: it ends by the signal itself.
 */
type Mode = 'alone' | 'next' | 'server-ts';

interface Started {
  cgroups: boolean;
  environments: { id: string; state: string; pids: number[] }[];
}

async function startFixture(mode: Mode) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shutdown-test-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx/esm', 'lib/server/fixtures/app-server.ts', mode],
    { env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const line = await Promise.race([
    new Promise<string>((resolve) =>
      createInterface({ input: child.stdout! }).once('line', resolve),
    ),
    exited.then(({ code }) => {
      throw new Error(`The fixture exited with ${code} before starting:\n${stderr}`);
    }),
  ]);
  return {
    pid: child.pid!,
    started: JSON.parse(line) as Started,
    exited,
    signal: (signal: NodeJS.Signals) => child.kill(signal),
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readOrEmpty(`/proc/${pid}/status`));

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The cgroup folders the fixture made: its server folder (`<pid>-<start time>`) and its environments' groups. */
function cgroupFoldersOf(pid: number, environmentIds: string[]): string[] {
  const names = [`-name '${pid}-*'`, ...environmentIds.map((id) => `-name 'env-${id}'`)];
  const found = execFileSync('sh', [
    '-c',
    `find /sys/fs/cgroup -type d \\( ${names.join(' -o ')} \\) 2>/dev/null || true`,
  ]);
  return found.toString().split('\n').filter(Boolean);
}

describe('stopping the server', () => {
  it.each<[string, NodeJS.Signals, Mode, { killAfterMs?: number }, object]>([
    ['npm run dev, Ctrl+C', 'SIGINT', 'next', { killAfterMs: 100 }, { signal: 'SIGKILL' }],
    ['npm run dev, SIGTERM', 'SIGTERM', 'next', { killAfterMs: 100 }, { signal: 'SIGKILL' }],
    ['next start, SIGTERM', 'SIGTERM', 'next', {}, { code: 143 }],
    ['npm start (server.ts), SIGTERM', 'SIGTERM', 'server-ts', {}, { code: 143 }],
    ['a process of its own, SIGINT', 'SIGINT', 'alone', {}, { signal: 'SIGINT' }],
    ['a process of its own, SIGTERM', 'SIGTERM', 'alone', {}, { signal: 'SIGTERM' }],
  ])(
    '%s: ends every environment, frozen or busy, and removes their cgroups',
    { timeout: 60_000 },
    async (_how, signal, mode, { killAfterMs }, status) => {
      const fixture = await startFixture(mode);
      try {
        const { environments } = fixture.started;
        expect(environments.map((environment) => environment.state)).toEqual(['idle', 'busy']);
        const pids = environments.flatMap((environment) => environment.pids);
        const ids = environments.map((environment) => environment.id);
        expect(pids.every(alive)).toBe(true);
        if (fixture.started.cgroups) expect(cgroupFoldersOf(fixture.pid, ids)).not.toEqual([]);

        fixture.signal(signal);
        if (killAfterMs !== undefined)
          setTimeout(() => fixture.signal('SIGKILL'), killAfterMs).unref();
        expect(await fixture.exited).toMatchObject(status);

        // Killed processes may take a moment to be reaped; a frozen one would never go.
        await vi.waitFor(() => expect(pids.filter(alive)).toEqual([]), {
          timeout: 5000,
          interval: 50,
        });
        expect(cgroupFoldersOf(fixture.pid, ids)).toEqual([]);
      } finally {
        fixture.signal('SIGKILL');
        fixture.remove();
      }
    },
  );
});
