import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
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
}

export class EnvironmentCgroup {
  constructor(private readonly dirs: Record<Controller, string>) {}

  /** The shell line that moves the current process (and so its children) into this group. */
  joinCommand(): string {
    return CONTROLLERS.map((c) => `echo $$ > '${path.join(this.dirs[c], 'cgroup.procs')}'`).join(' && ');
  }

  /** Sets the CPU share, in vCPUs. */
  setCpus(cpus: number): void {
    write(this.dirs.cpu, 'cpu.cfs_quota_us', String(Math.max(1000, Math.round(CPU_PERIOD_US * cpus))));
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
    return read(this.dirs.memory, 'cgroup.procs')
      .split('\n')
      .filter(Boolean)
      .map(Number);
  }

  /** Kills every process in the group, frozen or not, then removes the group. */
  async destroy(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const pids = this.processIds();
      if (pids.length === 0) break;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      // A frozen process only dies once thawed.
      await this.thaw().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const dir of Object.values(this.dirs)) {
      try {
        rmdirSync(dir);
      } catch {
        // Still emptying; the next start-up sweep removes it.
      }
    }
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
 * `<prefix>/<this process's pid>` inside this process's own groups, or returns
 * undefined. Each server process owns its folder, so several (test workers, a
 * restarted server) never touch one another's environments.
 */
export function openCgroupHierarchy(prefix: string, root = '/sys/fs/cgroup'): CgroupHierarchy | undefined {
  const bases = {} as Record<Controller, string>;
  try {
    for (const controller of CONTROLLERS) {
      const own = ownGroup(controller);
      const mount = path.join(root, controller);
      if (own === undefined || !existsSync(path.join(mount, 'cgroup.procs'))) return undefined;
      const shared = path.join(mount, own, prefix);
      mkdirSync(shared, { recursive: true });
      removeGroupsOfDeadServers(shared);
      bases[controller] = path.join(shared, String(process.pid));
      mkdirSync(bases[controller], { recursive: true });
    }
  } catch {
    return undefined;
  }
  return {
    create(name, limits) {
      const dirs = {} as Record<Controller, string>;
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
    },
  };
}

/** Folders of server processes that are gone: kill what they left running and remove them. */
function removeGroupsOfDeadServers(shared: string): void {
  for (const owner of readdirSync(shared, { withFileTypes: true })) {
    if (!owner.isDirectory() || !/^\d+$/.test(owner.name) || isAlive(Number(owner.name))) continue;
    const ownerDir = path.join(shared, owner.name);
    for (const entry of readdirSync(ownerDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(ownerDir, entry.name);
      try {
        if (existsSync(path.join(dir, 'freezer.state'))) write(dir, 'freezer.state', 'THAWED');
        for (const pid of read(dir, 'cgroup.procs').split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
        rmdirSync(dir);
      } catch {
        // Still emptying; the next start tries again.
      }
    }
    try {
      rmdirSync(ownerDir);
    } catch {
      // Not empty yet.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
