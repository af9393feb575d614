import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, vi } from 'vitest';
import { openCgroupHierarchy } from './cgroup';
import { EnvironmentPool } from './pool';
import { processTree } from './process-memory';
import { isBubblewrapUsable } from './sandbox';
import { testEnvironmentSpec } from './testing/environment-spec';

/**
 * A server that dies hard (SIGKILL, the out-of-memory killer) leaves its idle
 * environments frozen in their cgroups, where the parent-death signal cannot
 * reach them. The next server to open the runner must clean them up; and no
 * descriptor the server inherited reaches a sandbox.
 */
const PREFIX = `course-runner-test-leftovers-${process.pid}`;

async function startServer(): Promise<{
  kill(): Promise<void>;
  started: { payload: string; cgroups: boolean; pids: number[]; codeDir: string };
  inheritedPipe: string;
}> {
  // Descriptor 9 stands for anything a launcher passes on without close-on-exec (seen: a pipe at 251).
  const child = spawn(
    path.resolve('node_modules/.bin/tsx'),
    ['lib/runner/fixtures/server-process.ts', PREFIX],
    {
      stdio: [
        'ignore',
        'pipe',
        'inherit',
        'ignore',
        'ignore',
        'ignore',
        'ignore',
        'ignore',
        'ignore',
        'pipe',
      ],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the fixture server exited with ${code}`)));
  });
  const started = JSON.parse(line) as {
    payload: string;
    cgroups: boolean;
    pids: number[];
    codeDir: string;
  };
  // tsx runs the script in a child process of its own: find the one holding descriptor 9.
  const holder = [child.pid!, ...childrenOf(child.pid!)].find((pid) =>
    existsSync(`/proc/${pid}/fd/9`),
  )!;
  return {
    async kill() {
      killTree(child.pid!);
      for (let attempt = 0; attempt < 100 && alive(holder); attempt++)
        await new Promise((resolve) => setTimeout(resolve, 20));
    },
    started,
    inheritedPipe: readlinkSync(`/proc/${holder}/fd/9`),
  };
}

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSyncSafe(`/proc/${entry}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry), ...childrenOf(Number(entry)));
    } catch {
      // Gone.
    }
  }
  return found;
}

/** SIGKILL to a process and its descendants that are not sandboxed (those are what the test watches). */
function killTree(pid: number): void {
  for (const member of [
    pid,
    ...childrenOf(pid).filter(
      (p) =>
        !readFileSyncSafe(`/proc/${p}/cmdline`).includes('bwrap') &&
        !readFileSyncSafe(`/proc/${p}/cmdline`).includes('bootstrap'),
    ),
  ]) {
    try {
      process.kill(member, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
}

function readFileSyncSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSyncSafe(`/proc/${pid}/status`));

describe('environments a dead server left behind', () => {
  it('hold no descriptor the server inherited, and are killed and removed by the next server', async () => {
    const server = await startServer();
    expect(server.started.payload).toBe('"warm"');
    const sandboxed = server.started.pids.slice(1);
    expect(sandboxed.length).toBeGreaterThan(0);
    for (const pid of sandboxed) {
      const targets = readdirSync(`/proc/${pid}/fd`).map((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return '';
        }
      });
      expect(targets).not.toContain(server.inheritedPipe);
    }
    await server.kill();
    if (!server.started.cgroups) return;
    // The server is gone; its frozen environment is not.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sandboxed.some(alive)).toBe(true);

    const next = openCgroupHierarchy(PREFIX);
    expect(next).toBeDefined();
    for (let attempt = 0; attempt < 100 && sandboxed.some(alive); attempt++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sandboxed.filter(alive)).toEqual([]);
    rmSync(server.started.codeDir, { recursive: true, force: true });
    // The test's own empty folders, deepest first.
    execFileSync('sh', [
      '-c',
      `find /sys/fs/cgroup -depth -type d -path '*${PREFIX}*' -exec rmdir {} + 2>/dev/null || true`,
    ]);
  });
});

/** This process's own group in a cgroup v1 controller, as /proc/self/cgroup names it. */
function ownGroup(controller: string): string | undefined {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, group] = line.split(':');
    if (controllers?.split(',').includes(controller)) return group;
  }
  return undefined;
}

describe('environments a dead server left where its memory group is elsewhere', () => {
  it('are found through the other controllers, killed and removed', async () => {
    // Servers started from different login sessions share the freezer hierarchy but not the memory one.
    const prefix = `course-runner-test-elsewhere-${process.pid}`;
    if (!openCgroupHierarchy(prefix)) return;
    const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
    // No live process has this pid, so its server is gone.
    const group = (controller: string) =>
      path.join('/sys/fs/cgroup', controller, ownGroup(controller)!, prefix, '99999999-1', 'env-x');
    try {
      for (const controller of ['cpu', 'pids', 'freezer']) {
        mkdirSync(group(controller), { recursive: true });
        writeFileSync(path.join(group(controller), 'cgroup.procs'), String(sleeper.pid));
      }
      writeFileSync(path.join(group('freezer'), 'freezer.state'), 'FROZEN');
      await vi.waitFor(
        () =>
          expect(readFileSync(path.join(group('freezer'), 'freezer.state'), 'utf8').trim()).toBe(
            'FROZEN',
          ),
        { timeout: 5000, interval: 10 },
      );

      openCgroupHierarchy(prefix);
      await vi.waitFor(() => expect(alive(sleeper.pid!)).toBe(false), {
        timeout: 10_000,
        interval: 20,
      });
      const left = () =>
        ['cpu', 'pids', 'freezer'].filter((c) => existsSync(path.dirname(group(c))));
      await vi.waitFor(() => expect(left()).toEqual([]), { timeout: 10_000, interval: 20 });
    } finally {
      sleeper.kill('SIGKILL');
      execFileSync('sh', [
        '-c',
        `find /sys/fs/cgroup -depth -type d -path '*${prefix}*' -exec rmdir {} + 2>/dev/null || true`,
      ]);
    }
  });
});

/** The folders under every controller's `<prefix>` folder: a server's own, and its groups'. */
function foldersUnder(prefix: string): string[] {
  const found = execFileSync('sh', [
    '-c',
    `find /sys/fs/cgroup -mindepth 2 -type d -path '*/${prefix}/*' 2>/dev/null || true`,
  ]);
  return found.toString().split('\n').filter(Boolean);
}

describe('a server that stops', () => {
  it('ends every environment at once, frozen or busy, and removes their groups and its own folder', async () => {
    const prefix = `course-runner-test-stop-${process.pid}`;
    const cgroups = openCgroupHierarchy(prefix);
    if (!cgroups) return;
    const codeDir = mkdtempSync(path.join(tmpdir(), 'runner-stop-'));
    chmodSync(codeDir, 0o755);
    writeFileSync(
      path.join(codeDir, 'index.mjs'),
      'export const handler = async (event) => (event.forever ? new Promise(() => {}) : "idle");',
    );
    const pool = new EnvironmentPool({
      sandbox: isBubblewrapUsable() ? 'bwrap' : 'none',
      cgroups,
      limits: {
        maxEnvironments: 2,
        maxMemoryMb: 1024,
        maxEnvironmentsPerWorkspace: 2,
        maxMemoryMbPerWorkspace: 1024,
        idleTtlMs: 600_000,
      },
    });
    const fn = (functionName: string) => ({
      ...testEnvironmentSpec(codeDir, { functionName, memoryMb: 128, timeoutMs: 60_000 }),
      workspaceId: 'ws',
      configurationId: '1',
      reservedConcurrency: undefined,
    });
    try {
      await pool.invoke(fn('idle'), '{}');
      const busy = pool.invoke(fn('busy'), '{"forever":true}');
      await vi.waitFor(() => expect(pool.environmentsOf(fn('busy'))[0]?.state).toBe('busy'), {
        timeout: 10_000,
        interval: 20,
      });
      const environments = [...pool.environmentsOf(fn('idle')), ...pool.environmentsOf(fn('busy'))];
      expect(environments.map((environment) => environment.state)).toEqual(['idle', 'busy']);
      const pids = environments.flatMap((environment) => processTree(environment.pid!));
      expect(foldersUnder(prefix).length).toBeGreaterThan(0);

      // Synchronous: by the time it returns, nothing is left, frozen or not.
      expect(cgroups.removeAllSync()).toEqual({ removed: 2, remaining: 0 });
      expect(pids.filter(alive)).toEqual([]);
      expect(foldersUnder(prefix)).toEqual([]);
      await busy;
    } finally {
      await pool.dispose();
      rmSync(codeDir, { recursive: true, force: true });
      execFileSync('sh', [
        '-c',
        `find /sys/fs/cgroup -depth -type d -path '*${prefix}*' -exec rmdir {} + 2>/dev/null || true`,
      ]);
    }
  });
});
