import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/**
 * Control groups give each execution environment a hard memory limit, a CPU
 * share in proportion to its memory, a process limit, a true peak-memory
 * reading and a freezer. This is cgroup v1, as on this project's machines; where
 * the hierarchy is missing or not writable, `openCgroupHierarchy` returns
 * undefined and the runner falls back to watching the process from outside.
 */

/** The CFS period the CPU quota is expressed against. */
const CPU_PERIOD_US = 100_000;
const CONTROLLERS = ['memory', 'cpu', 'pids', 'freezer'] as const;
type Controller = (typeof CONTROLLERS)[number];

export interface CgroupLimits {
  memoryBytes: number;
  /** vCPUs as a fraction (1 = one full core) while INIT runs; see setCpus for afterwards. */
  cpus: number;
  maxProcesses: number;
}

export interface CgroupHierarchy {
  create(name: string, limits: CgroupLimits): EnvironmentCgroup;
  /**
   * Kills and removes this server's groups that are not in `live` (their
   * environment is gone from the pool, or a destroy could not finish), and
   * returns the names it removed.
   */
  sweep(live: ReadonlySet<string>): Promise<string[]>;
  /**
   * Ends this server's environments, synchronously: kills every process in
   * every group of this server (thawing the groups, so frozen ones die too),
   * waits at most `deadlineMs` for them to exit, then removes the groups and
   * this server's own folder. For a process that is stopping: it runs inside a
   * signal handler or an 'exit' hook, where nothing asynchronous is sure to
   * finish (`next dev` kills its worker 100 ms after passing it the signal).
   * Returns how many groups it removed and how many it could not.
   */
  removeAllSync(deadlineMs?: number): { removed: number; remaining: number };
}

export class EnvironmentCgroup {
  constructor(private readonly dirs: Record<Controller, string>) {}

  /** The shell line that moves the current process (and so its children) into this group. */
  joinCommand(): string {
    return CONTROLLERS.map((c) => `echo $$ > '${path.join(this.dirs[c], 'cgroup.procs')}'`).join(
      ' && ',
    );
  }

  /** Sets the CPU share, in vCPUs. */
  setCpus(cpus: number): void {
    write(
      this.dirs.cpu,
      'cpu.cfs_quota_us',
      String(Math.max(1000, Math.round(CPU_PERIOD_US * cpus))),
    );
  }

  /** The CPU quota in force and how many periods the kernel has throttled the group, as cpu.stat counts them. */
  cpuControl(): { quotaUs: number; periodUs: number; throttledPeriods: number } {
    const throttled = /^nr_throttled (\d+)$/m.exec(read(this.dirs.cpu, 'cpu.stat'));
    return {
      quotaUs: Number(read(this.dirs.cpu, 'cpu.cfs_quota_us')),
      periodUs: Number(read(this.dirs.cpu, 'cpu.cfs_period_us')),
      throttledPeriods: Number(throttled?.[1] ?? 0),
    };
  }

  /** Starts a new peak-memory measurement (one per invocation). */
  resetPeak(): void {
    write(this.dirs.memory, 'memory.max_usage_in_bytes', '0');
  }

  peakBytes(): number {
    try {
      return Number(read(this.dirs.memory, 'memory.max_usage_in_bytes'));
    } catch {
      return 0;
    }
  }

  /** How many times the group has hit its memory limit and had to reclaim. */
  limitHits(): number {
    return Number(read(this.dirs.memory, 'memory.failcnt'));
  }

  /** True once the kernel has killed something in this group for lack of memory. */
  oomKilled(): boolean {
    let control: string;
    try {
      control = read(this.dirs.memory, 'memory.oom_control');
    } catch {
      return false;
    }
    const kills = /oom_kill (\d+)/.exec(control);
    return kills ? Number(kills[1]) > 0 : Number(read(this.dirs.memory, 'memory.failcnt')) > 0;
  }

  /** Bumped by every thaw, so a freeze still settling knows it was overtaken. */
  private generation = 0;

  /** Freezes the group; resolves once frozen, or once a later thaw overtakes it. */
  async freeze(): Promise<void> {
    const generation = ++this.generation;
    write(this.dirs.freezer, 'freezer.state', 'FROZEN');
    for (let attempt = 0; attempt < 200 && generation === this.generation; attempt++) {
      if (read(this.dirs.freezer, 'freezer.state').trim() === 'FROZEN') return;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /**
   * Thaws the group at once, even in the middle of freezing: a warm invocation
   * never waits for the previous one's freeze to settle.
   */
  async thaw(): Promise<void> {
    this.generation++;
    write(this.dirs.freezer, 'freezer.state', 'THAWED');
    for (let attempt = 0; attempt < 200; attempt++) {
      if (read(this.dirs.freezer, 'freezer.state').trim() === 'THAWED') return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  processIds(): number[] {
    return read(this.dirs.memory, 'cgroup.procs').split('\n').filter(Boolean).map(Number);
  }

  /** Kills every process in the group, frozen or not, then removes the group; true once it is gone. */
  async destroy(): Promise<boolean> {
    return removeGroup(Object.values(this.dirs), this.dirs.freezer);
  }
}

/** How long removing a group may take before the caller moves on (a later sweep retries). */
const REMOVE_ATTEMPTS = 50;
/** How long a stopping server waits, at most, for its killed environments to exit before removing their groups. */
const STOP_DEADLINE_MS = 1000;

/**
 * Kills every process in a group (the same processes are listed in each of its
 * controller folders), thawing it so a frozen process can die, then removes the
 * folders. True once all are gone.
 */
async function removeGroup(dirs: readonly string[], freezerDir: string): Promise<boolean> {
  for (let attempt = 0; attempt < REMOVE_ATTEMPTS; attempt++) {
    if (killGroupMembers(dirs, freezerDir) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return removeFolders(dirs);
}

/**
 * Sends SIGKILL to every process of a group, then thaws the group: a frozen
 * process only dies once thawed, and the pending SIGKILL then takes it at once.
 * Synchronous; returns how many processes it signalled.
 */
function killGroupMembers(dirs: readonly string[], freezerDir: string): number {
  const pids = new Set(dirs.flatMap((dir) => listProcesses(dir)));
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  if (pids.size > 0) {
    try {
      write(freezerDir, 'freezer.state', 'THAWED');
    } catch {
      // The group is already gone.
    }
  }
  return pids.size;
}

/** Removes a group's controller folders (each must hold no process); true once none is left. */
function removeFolders(dirs: readonly string[]): boolean {
  let gone = true;
  for (const dir of dirs) {
    try {
      rmdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') gone = false;
    }
  }
  return gone;
}

/** Blocks the thread for `ms`: the one way to wait inside a signal handler or an 'exit' hook. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function listProcesses(dir: string): number[] {
  try {
    return read(dir, 'cgroup.procs').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8');
}

function write(dir: string, file: string, value: string): void {
  writeFileSync(path.join(dir, file), value);
}

/** This process's own group in a v1 controller, so environments nest under the server's limits. */
function ownGroup(controller: Controller): string | undefined {
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [, controllers, groupPath] = line.split(':');
      if (controllers?.split(',').includes(controller)) return groupPath;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Opens a writable cgroup v1 hierarchy for environments, under
 * `<prefix>/<pid>-<start time>` inside this process's own groups, or returns
 * undefined. Each server process owns its folder, so several (test workers, a
 * restarted server) never touch one another's environments; the start time
 * tells a dead server's folder from a live process that reuses its pid.
 * Opening it first kills what servers that are gone left behind: frozen
 * environments cannot receive the parent-death signal, so without this they
 * would outlive a server killed by SIGKILL or the out-of-memory killer.
 */
export function openCgroupHierarchy(
  prefix: string,
  root = '/sys/fs/cgroup',
): CgroupHierarchy | undefined {
  const bases = {} as Record<Controller, string>;
  const shareds = {} as Record<Controller, string>;
  try {
    for (const controller of CONTROLLERS) {
      const own = ownGroup(controller);
      const mount = path.join(root, controller);
      if (own === undefined || !existsSync(path.join(mount, 'cgroup.procs'))) return undefined;
      const shared = path.join(mount, own, prefix);
      mkdirSync(shared, { recursive: true });
      shareds[controller] = shared;
      bases[controller] = path.join(shared, ownerName(process.pid)!);
      mkdirSync(bases[controller], { recursive: true });
    }
  } catch {
    return undefined;
  }
  // In the background: this server's groups live in a folder of their own, so nothing waits on it.
  void removeGroupsOfDeadServers(shareds).catch((error: unknown) =>
    console.error('Function runner: could not clean up after an earlier server:', error),
  );
  return {
    create(name, limits) {
      const dirs = {} as Record<Controller, string>;
      try {
        for (const controller of CONTROLLERS) {
          dirs[controller] = path.join(bases[controller], name);
          mkdirSync(dirs[controller], { recursive: true });
        }
        write(dirs.memory, 'memory.limit_in_bytes', String(limits.memoryBytes));
        // No swap: going over the limit is an out-of-memory, as on Lambda.
        write(dirs.memory, 'memory.swappiness', '0');
        try {
          write(dirs.memory, 'memory.memsw.limit_in_bytes', String(limits.memoryBytes));
        } catch {
          // Swap accounting is off on this kernel; memory.limit_in_bytes still applies.
        }
        write(dirs.cpu, 'cpu.cfs_period_us', String(CPU_PERIOD_US));
        write(dirs.pids, 'pids.max', String(limits.maxProcesses));
        const group = new EnvironmentCgroup(dirs);
        group.setCpus(limits.cpus);
        return group;
      } catch (error) {
        // No half-made group is left behind: it holds no process yet, so removing its folders is enough.
        for (const dir of Object.values(dirs)) {
          try {
            rmdirSync(dir);
          } catch {
            // Never made.
          }
        }
        throw error;
      }
    },
    async sweep(live) {
      await removeGroupsOfDeadServers(shareds);
      const removed: string[] = [];
      for (const entry of foldersIn(bases)) {
        if (!entry.startsWith('env-') || live.has(entry)) continue;
        if (
          await removeGroup(
            CONTROLLERS.map((c) => path.join(bases[c], entry)),
            path.join(bases.freezer, entry),
          )
        )
          removed.push(entry);
      }
      return removed;
    },
    removeAllSync(deadlineMs = STOP_DEADLINE_MS) {
      const groups = foldersIn(bases);
      const dirsOf = (group: string) => CONTROLLERS.map((c) => path.join(bases[c], group));
      const deadline = Date.now() + deadlineMs;
      // Killed processes take a moment to leave their group, which cannot be removed before.
      for (;;) {
        let alive = 0;
        for (const group of groups)
          alive += killGroupMembers(dirsOf(group), path.join(bases.freezer, group));
        if (alive === 0 || Date.now() >= deadline) break;
        sleepSync(5);
      }
      const removed = groups.filter((group) => removeFolders(dirsOf(group))).length;
      // This server's own folder goes too; if a group could not be removed, the next server cleans up.
      removeFolders(CONTROLLERS.map((c) => bases[c]));
      return { removed, remaining: groups.length - removed };
    },
  };
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

/**
 * The folders under one folder of each controller, all controllers together.
 * A controller's hierarchy can place two processes apart where the others do
 * not (one memory group per login session, say, and one freezer for all), so a
 * server's folder may be missing from one controller and present in another.
 */
function foldersIn(dirs: Record<Controller, string> | readonly string[]): string[] {
  return [...new Set(Object.values(dirs).flatMap((dir) => safeReaddir(dir)))];
}

/** Folders of server processes that are gone: kill what they left running (thawing it first) and remove them. */
async function removeGroupsOfDeadServers(shareds: Record<Controller, string>): Promise<void> {
  for (const owner of foldersIn(shareds)) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(owner);
    if (!match || ownerName(Number(match[1])) === owner) continue;
    const groups = foldersIn(CONTROLLERS.map((c) => path.join(shareds[c], owner)));
    let removed = 0;
    for (const group of groups) {
      if (
        await removeGroup(
          CONTROLLERS.map((c) => path.join(shareds[c], owner, group)),
          path.join(shareds.freezer, owner, group),
        )
      )
        removed++;
    }
    if (removed > 0)
      console.warn(
        `Function runner: removed ${removed} execution environment group(s) left by server ${owner}, which is gone.`,
      );
    for (const controller of CONTROLLERS) {
      try {
        rmdirSync(path.join(shareds[controller], owner));
      } catch {
        // Not empty yet, or already gone: the next start tries again.
      }
    }
  }
}

/** `<pid>-<start time in clock ticks>` for a live process, or undefined when there is none with that pid. */
function ownerName(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime), counted after the command name, which may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie has exited: its environments are as orphaned as a vanished server's.
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return `${pid}-${fields[19]}`;
  } catch {
    return undefined;
  }
}
