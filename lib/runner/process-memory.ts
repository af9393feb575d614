import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Peak resident memory of an environment's processes, the way Lambda reports
 * Max Memory Used: the runtime's whole footprint, its shared libraries and
 * binary included. (A cgroup's own counter misses pages the host had already
 * loaded, such as the node binary, so it can read far lower.)
 */

/** A process and all its descendants, found through /proc. */
export function processTree(rootPid: number): number[] {
  const pids = [rootPid];
  for (let i = 0; i < pids.length; i++) {
    const pid = pids[i]!;
    try {
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Starts a new peak measurement: the kernel resets VmHWM to the current RSS. */
export function resetPeakRss(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // Gone, or not ours to reset: its peak then counts from its start.
    }
  }
}

/** The sum of the processes' peak resident set sizes, in bytes. */
export function peakRssBytes(pids: readonly number[]): number {
  return sumStatusKilobytes(pids, 'VmHWM');
}

/** The sum of the processes' current resident set sizes, in bytes. */
export function residentBytes(pids: readonly number[]): number {
  return sumStatusKilobytes(pids, 'VmRSS');
}

function sumStatusKilobytes(pids: readonly number[], field: 'VmHWM' | 'VmRSS'): number {
  const pattern = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm');
  let total = 0;
  for (const pid of pids) {
    try {
      const match = pattern.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // The process ended; whatever it used is gone with it.
    }
  }
  return total;
}
