import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openCgroupHierarchy } from './cgroup';

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
