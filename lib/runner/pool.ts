import { randomUUID } from 'node:crypto';
import type { CgroupHierarchy } from './cgroup';
import {
  environmentGroupsInUse,
  ExecutionEnvironment,
  type EnvironmentSpec,
  type InvokeOutcome,
} from './execution-environment';
import { processTree } from './process-memory';
import { billedDurationMs, formatInvocationLog, invocationCostUsd, round2 } from './report';
import type { SandboxLevel } from './sandbox';

/** How often the pool reconciles itself with the processes and cgroups that exist. */
const SWEEP_INTERVAL_MS = 30_000;
/** How long a call may wait for room on a full server before it is refused as course busy. */
export const DEFAULT_CAPACITY_WAIT_MS = 10_000;
/**
 * Provisioned environments one workspace may keep, across its functions. They
 * are never reclaimed, so they are few: as many as the Lambda API lets one
 * function have (PutProvisionedConcurrencyConfig, 1 to 10 in the course).
 */
export const MAX_PROVISIONED_PER_WORKSPACE = 10;

/**
 * The caps that protect the machine and share it between learners
 * (docs/decisions/009-fair-capacity-and-course-busy.md). A workspace stands
 * for an AWS account; only its concurrency limit and a function's reserved
 * concurrency are Lambda throttles (429). The server's room is the course's
 * own limit: a call waits a little for it, then is refused as course busy.
 */
export interface PoolLimits {
  /** Live environments on the whole server. */
  maxEnvironments: number;
  /** Memory configured across all live environments, in MB. */
  maxMemoryMb: number;
  /**
   * Invocations one workspace may have in flight at once, its concurrency
   * limit (past it, a 429 as Lambda throttles an account at its limit), and
   * environments it may hold, idle ones included (past that, it gives up its
   * own idle ones). At least a lab's largest burst (MAX_BURST).
   */
  maxEnvironmentsPerWorkspace: number;
  /** Memory configured across one workspace's live environments, in MB. */
  maxMemoryMbPerWorkspace: number;
  /** An idle environment is reclaimed after this long. */
  idleTtlMs: number;
  /** How long a call may wait for room before it is refused as course busy; 0 refuses at once. @default DEFAULT_CAPACITY_WAIT_MS */
  capacityWaitMs?: number;
  /** Calls that may wait for room at once, server-wide; more are refused as course busy at once. @default twice maxEnvironments */
  maxWaiting?: number;
}

/** A function version as the pool runs it. */
export interface PoolFunction extends EnvironmentSpec {
  workspaceId: string;
  /** Changes whenever code or configuration changes; environments of an older one are never reused. */
  configurationId: string;
  /** Reserved concurrency: at most this many invocations at once, or undefined for no cap. */
  reservedConcurrency: number | undefined;
}

/** The structured report: the REPORT line's figures and more. */
export interface InvocationReport {
  requestId: string;
  coldStart: boolean;
  environmentId: string;
  sandbox: SandboxLevel;
  durationMs: number;
  billedDurationMs: number;
  initDurationMs: number | undefined;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  costUsd: number;
  /**
   * Set when the call waited its turn for room on the course server before it
   * started: how long, in ms. AWS would have started it at once; the wait is in
   * neither Duration nor the bill.
   */
  courseWaitMs?: number;
}

export interface Invocation {
  requestId: string;
  payload: string;
  /** The error type when the function failed (the Invoke API's X-Amz-Function-Error is then Unhandled). */
  errorType: string | undefined;
  /** The whole log: init output on a cold start, START, output, END, REPORT. */
  log: string;
  report: InvocationReport;
}

/** A Lambda throttle: the caller gets 429 TooManyRequestsException with this Reason, as from AWS. */
export class ThrottleError extends Error {
  override name = 'ThrottleError';
  constructor(
    readonly reason:
      'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The course server could not run the call ("course busy"). Not a Lambda
 * behaviour and never a throttle: the Lambda API answers 503 ServiceException.
 */
export class CourseBusyError extends Error {
  override name = 'CourseBusyError';
  constructor(
    readonly reason: 'ServerFull' | 'WorkspaceFull' | 'QueueFull' | 'ShuttingDown',
    message: string,
    /** How long the call waited for room before it was refused, in ms. */
    readonly waitedMs = 0,
  ) {
    super(message);
  }
}

/** More provisioned environments than the course keeps for one workspace (MAX_PROVISIONED_PER_WORKSPACE). */
export class ProvisionedConcurrencyLimitError extends Error {
  override name = 'ProvisionedConcurrencyLimitError';
}

interface Slot {
  environment: ExecutionEnvironment;
  /** Taken by an invocation that has not started running yet: not available to others. */
  claimed: boolean;
  configurationId: string;
  workspaceId: string;
  provisioned: boolean;
}

/** Room counted for an environment being started, before it exists. */
interface Reservation {
  key: string;
  workspaceId: string;
  memoryMb: number;
}

interface Holding {
  environments: number;
  memoryMb: number;
}

const NOTHING: Holding = { environments: 0, memoryMb: 0 };

/** Why a call must wait for room: the server is full, or the workspace's own caps are reached. */
type WaitReason = 'ServerFull' | 'WorkspaceFull';

/** What a call does next to get an environment. */
type Step =
  | { kind: 'warm'; slot: Slot }
  | { kind: 'room'; reservation: Reservation }
  | { kind: 'evict'; victim: Slot }
  | { kind: 'wait'; reason: WaitReason }
  | { kind: 'refuse'; error: CourseBusyError };
type Go = Extract<Step, { kind: 'warm' | 'room' | 'evict' }>;

/** The pool's capacity at one moment, for one round of decisions; each decision updates it. */
interface Capacity {
  total: Holding;
  byWorkspace: Map<string, Holding>;
  /** Idle on-demand environments no call has claimed, least recently used first: what may be reclaimed. */
  idle: Slot[];
}

/** A call waiting its turn for room. */
interface Waiter {
  workspaceId: string;
  arrived: number;
  /** Plans again against `capacity`; goes ahead, and leaves the queue, unless it must still wait. */
  tryNow(capacity: Capacity): void;
  fail(error: CourseBusyError): void;
}

/**
 * What lib/lambda needs from a runner. EnvironmentPool runs environments on this
 * machine; a runner on other machines (a later issue) implements the same.
 */
export interface FunctionRunner {
  readonly sandbox: SandboxLevel;
  invoke(
    fn: PoolFunction,
    event: string,
    extra?: { clientContext?: unknown; identity?: unknown },
  ): Promise<Invocation>;
  resetFunction(fn: Pick<PoolFunction, 'workspaceId' | 'functionName'>): Promise<void>;
  provision(fn: PoolFunction, count: number): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Execution environments for every function, with Lambda's lifecycle: reuse an
 * idle environment (warm), otherwise start one (cold), one invocation at a time
 * each; scale out under concurrency; reclaim idle ones after a TTL; never reuse
 * an environment across a change of code or configuration.
 *
 * Capacity (docs/decisions/009): a workspace may run up to its concurrency
 * limit at once (past it, a Lambda throttle). The server's room is shared: an
 * idle environment is reclaimed for another call unless it lies within its
 * workspace's protected share, which is sized so that any workspace's burst up
 * to its cap always finds room; when busy environments fill the server, calls
 * wait their turn (the lightest users first), and past a short wait are
 * refused as course busy, which is not a Lambda behaviour.
 */
export class EnvironmentPool implements FunctionRunner {
  private readonly slots = new Map<string, Slot[]>();
  /** Environments being started, counted against the caps before they exist. */
  private starting: Reservation[] = [];
  /** Starts under way, so dispose() can wait for them and end what they start. */
  private readonly starts = new Set<Promise<unknown>>();
  /** Invocations in flight per function, for reserved concurrency. */
  private readonly admitted = new Map<string, number>();
  /** Invocations in flight per workspace, for its concurrency limit. */
  private readonly inFlight = new Map<string, number>();
  /** Calls waiting for room, in arrival order; bounded by maxWaiting. */
  private readonly waiters = new Set<Waiter>();
  private passScheduled = false;
  private disposed = false;
  /**
   * Ended environments whose processes or cgroup could not yet be confirmed
   * gone: they still count against the caps until the sweep confirms it.
   */
  private readonly lingering = new Set<{
    environment: ExecutionEnvironment;
    workspaceId: string;
  }>();
  private readonly reaper: ReturnType<typeof setInterval>;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly options: {
      sandbox: SandboxLevel;
      cgroups: CgroupHierarchy | undefined;
      limits: PoolLimits;
    },
  ) {
    this.reaper = setInterval(
      () =>
        void this.dropEnded(Date.now()).catch((error: unknown) =>
          console.error('Function runner: reclaiming idle environments failed:', error),
        ),
      Math.min(10_000, Math.max(100, options.limits.idleTtlMs / 4)),
    );
    this.reaper.unref();
    this.sweeper = setInterval(
      () =>
        void this.sweep().catch((error: unknown) =>
          console.error('Function runner: the sweep failed:', error),
        ),
      SWEEP_INTERVAL_MS,
    );
    this.sweeper.unref();
  }

  /**
   * Reconciles the pool with what exists: environments whose process died are
   * dropped, ended ones not yet confirmed gone are retried, and cgroups that no
   * live environment owns are killed and removed. Logs what it cleaned.
   */
  async sweep(): Promise<{ dropped: number; reaped: number; orphanGroups: string[] }> {
    const dropped = await this.dropEnded(undefined);
    let reaped = 0;
    for (const entry of [...this.lingering]) {
      if (await entry.environment.reap()) {
        this.lingering.delete(entry);
        reaped++;
      }
    }
    if (reaped > 0) this.schedulePass();
    // Every environment of this process that is not confirmed gone, whichever pool it belongs to: pools may share a cgroup folder.
    const orphanGroups = this.options.cgroups
      ? await this.options.cgroups.sweep(environmentGroupsInUse())
      : [];
    if (dropped + reaped + orphanGroups.length > 0) {
      console.warn(
        `Function runner sweep: dropped ${dropped} dead environment(s), confirmed ${reaped} ended one(s) gone, removed ${orphanGroups.length} orphaned cgroup(s).`,
      );
    }
    return { dropped, reaped, orphanGroups };
  }

  get sandbox(): SandboxLevel {
    return this.options.sandbox;
  }

  async invoke(
    fn: PoolFunction,
    event: string,
    extra: { clientContext?: unknown; identity?: unknown } = {},
  ): Promise<Invocation> {
    if (this.disposed) throw shuttingDown();
    const key = functionKey(fn);
    await this.retireStale(key, fn.configurationId);
    // Counted and admitted in one synchronous step: calls arriving together cannot all pass a check made before any of them starts.
    const inFlight = this.admitted.get(key) ?? 0;
    if (fn.reservedConcurrency !== undefined && inFlight >= fn.reservedConcurrency) {
      throw new ThrottleError(
        'ReservedFunctionConcurrentInvocationLimitExceeded',
        'Rate Exceeded.',
      );
    }
    const { maxEnvironmentsPerWorkspace } = this.options.limits;
    const workspaceInFlight = this.inFlight.get(fn.workspaceId) ?? 0;
    if (workspaceInFlight >= maxEnvironmentsPerWorkspace) {
      // The workspace is the account: this is Lambda's account concurrency limit, at the course's size.
      throw new ThrottleError(
        'ConcurrentInvocationLimitExceeded',
        `Rate Exceeded. Your workspace is running its maximum of ${maxEnvironmentsPerWorkspace} execution environments at once: its concurrency limit in the course (an AWS account's default is 1,000 per Region). Wait for some invocations to finish.`,
      );
    }
    this.admitted.set(key, inFlight + 1);
    this.inFlight.set(fn.workspaceId, workspaceInFlight + 1);
    try {
      return await this.invokeAdmitted(fn, key, event, extra);
    } finally {
      decrement(this.admitted, key);
      decrement(this.inFlight, fn.workspaceId);
    }
  }

  private async invokeAdmitted(
    fn: PoolFunction,
    key: string,
    event: string,
    extra: { clientContext?: unknown; identity?: unknown },
  ): Promise<Invocation> {
    const requestId = randomUUID();
    let slot: Slot | undefined;
    let coldStart = false;
    let waitedMs: number | undefined;
    while (!slot) {
      const placed = await this.place(fn, key, false);
      if (placed.waitedMs !== undefined) waitedMs = (waitedMs ?? 0) + placed.waitedMs;
      if (placed.step.kind === 'warm') {
        const warm = placed.step.slot;
        // Claimed while idle; an environment whose process died since is dead, not warm.
        if (warm.environment.state === 'idle') slot = warm;
        else {
          warm.claimed = false;
          if (warm.environment.state === 'dead') this.remove(key, warm.environment);
        }
        continue;
      }
      coldStart = true;
      const started = await this.startEnvironment(fn, key, false, placed.step.reservation);
      if ('initError' in started) {
        return this.initFailure(fn, requestId, started.environment, started.initError, waitedMs);
      }
      slot = started.slot;
    }
    const environment = slot.environment;
    let initOutput = '';
    let initDurationMs: number | undefined;
    if (!environment.initReported && !slot.provisioned) {
      coldStart = true;
      initOutput = environment.initOutput;
      initDurationMs = environment.initDurationMs;
    }
    environment.initReported = true;

    const running = environment.invoke(event, requestId, extra);
    slot.claimed = false;
    const outcome = await running;
    if (environment.state === 'dead') this.remove(key, environment);
    // Idle again (or gone): a waiting call may take it.
    this.schedulePass();
    return this.record(fn, outcome, environment, coldStart, initDurationMs, initOutput, waitedMs);
  }

  /** Forces the next invocation to be cold: ends the function's idle environments. */
  async resetFunction(fn: Pick<PoolFunction, 'workspaceId' | 'functionName'>): Promise<void> {
    const key = functionKey(fn);
    for (const slot of [...(this.slots.get(key) ?? [])]) {
      if (slot.environment.state !== 'busy' && !slot.claimed) {
        await slot.environment.destroy('replaced');
        this.remove(key, slot.environment);
      }
    }
  }

  /** Keeps `count` environments initialised ahead for this configuration (provisioned concurrency). */
  async provision(fn: PoolFunction, count: number): Promise<void> {
    if (this.disposed) throw shuttingDown();
    const key = functionKey(fn);
    await this.retireStale(key, fn.configurationId);
    const provisioned = (this.slots.get(key) ?? []).filter((s) => s.provisioned);
    for (const extra of provisioned.slice(count)) {
      if (extra.environment.state !== 'busy') {
        await extra.environment.destroy('replaced');
        this.remove(key, extra.environment);
      }
    }
    const elsewhere = [...this.slots]
      .filter(([other]) => other !== key)
      .flatMap(([, slots]) => slots)
      .filter((s) => s.provisioned && s.workspaceId === fn.workspaceId).length;
    if (elsewhere + count > MAX_PROVISIONED_PER_WORKSPACE) {
      throw new ProvisionedConcurrencyLimitError(
        `The course keeps at most ${MAX_PROVISIONED_PER_WORKSPACE} provisioned execution environments per workspace, and your other functions hold ${elsewhere}: provisioned environments are never reclaimed, so they are kept few on a shared server. (On AWS, provisioned concurrency is limited by the account's concurrency.)`,
      );
    }
    const provisionedFn = { ...fn, initializationType: 'provisioned-concurrency' as const };
    for (let i = provisioned.length; i < count; i++) {
      const { step } = await this.place(provisionedFn, key, true);
      // A provisioned environment is always a new one: place() never offers it a warm one.
      if (step.kind !== 'room')
        throw new Error('A provisioned environment was offered a warm one.');
      const started = await this.startEnvironment(provisionedFn, key, true, step.reservation);
      if ('initError' in started)
        throw new Error(
          `Provisioned environment failed to initialise: ${started.initError.errorType}: ${started.initError.errorMessage}`,
        );
    }
  }

  /** Live environments of one function, for reports and tests. */
  environmentsOf(fn: Pick<PoolFunction, 'workspaceId' | 'functionName'>): ExecutionEnvironment[] {
    return (this.slots.get(functionKey(fn)) ?? []).map((s) => s.environment);
  }

  /**
   * Ends every environment: calls still waiting for room are refused, starts
   * under way are waited for and what they start is ended, then every
   * environment is killed and its cgroup removed.
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.reaper);
    clearInterval(this.sweeper);
    for (const waiter of [...this.waiters]) waiter.fail(shuttingDown());
    await Promise.allSettled([...this.starts]);
    const all = [...this.slots.values()].flat();
    this.slots.clear();
    await Promise.all([
      ...all.map((slot) => slot.environment.destroy('reclaimed')),
      ...[...this.lingering].map((entry) => entry.environment.reap()),
    ]);
  }

  /**
   * For a process about to end: sends SIGKILL to every process of every
   * environment this pool holds, synchronously (and SIGCONT, so one stopped
   * while idle without a cgroup dies too). A member of a frozen cgroup dies
   * only once its group is thawed: CgroupHierarchy.removeAllSync does that.
   * The pool takes no new call afterwards; dispose() confirms the ends.
   */
  terminateNow(): void {
    this.disposed = true;
    const environments = [
      ...[...this.slots.values()].flat().map((slot) => slot.environment),
      ...[...this.lingering].map((entry) => entry.environment),
    ];
    for (const environment of environments) {
      if (environment.pid === undefined) continue;
      for (const pid of processTree(environment.pid)) {
        for (const signal of ['SIGCONT', 'SIGKILL'] as const) {
          try {
            process.kill(pid, signal);
          } catch {
            // Already gone.
          }
        }
      }
    }
  }

  /** What the pool holds now, for operators and tests: live, starting and lingering environments and their memory, and calls waiting for room. */
  usage(): {
    environments: number;
    memoryMb: number;
    lingering: number;
    waiting: number;
    byWorkspace: Map<string, { environments: number; memoryMb: number }>;
  } {
    const { total, byWorkspace } = this.capacity();
    return {
      environments: total.environments,
      memoryMb: total.memoryMb,
      lingering: this.lingering.size,
      waiting: this.waiters.size,
      byWorkspace,
    };
  }

  /** Everything that counts against the caps: live environments, ones being started, ended ones not yet gone. */
  private accounted(): { workspaceId: string; memoryMb: number }[] {
    return [
      ...[...this.slots.values()]
        .flat()
        .map((s) => ({ workspaceId: s.workspaceId, memoryMb: s.environment.spec.memoryMb })),
      ...this.starting,
      ...[...this.lingering].map((entry) => ({
        workspaceId: entry.workspaceId,
        memoryMb: entry.environment.spec.memoryMb,
      })),
    ];
  }

  private capacity(): Capacity {
    const total = { environments: 0, memoryMb: 0 };
    const byWorkspace = new Map<string, Holding>();
    for (const item of this.accounted()) {
      const held = byWorkspace.get(item.workspaceId) ?? { environments: 0, memoryMb: 0 };
      held.environments++;
      held.memoryMb += item.memoryMb;
      byWorkspace.set(item.workspaceId, held);
      total.environments++;
      total.memoryMb += item.memoryMb;
    }
    const idle = [...this.slots.values()]
      .flat()
      .filter((s) => s.environment.state === 'idle' && !s.claimed && !s.provisioned)
      .sort((a, b) => a.environment.lastUsedAt - b.environment.lastUsedAt);
    return { total, byWorkspace, idle };
  }

  /**
   * Finds an environment for one call: an idle one of the function (warm), or
   * room for a new one, reclaiming idle environments to make it. When there is
   * none, the call waits its turn (and so does every call arriving while others
   * wait), up to capacityWaitMs; then it is refused as course busy. Resolves
   * with a claimed warm environment or reserved room, and how long the call
   * waited, if it did.
   */
  private async place(
    fn: PoolFunction,
    key: string,
    provisioned: boolean,
  ): Promise<{ step: Extract<Go, { kind: 'warm' | 'room' }>; waitedMs: number | undefined }> {
    const arrived = performance.now();
    let queued = false;
    let madeRoom = false;
    for (;;) {
      let step: Go;
      if (this.waiters.size > 0 && !madeRoom) {
        // Others are waiting: take a turn behind them rather than ahead.
        queued = true;
        step = await this.waitTurn(fn, key, provisioned, arrived, 'ServerFull');
      } else {
        // A call that has just reclaimed an environment uses the room it made.
        const planned = this.plan(fn, key, provisioned, this.capacity());
        if (planned.kind === 'refuse') throw planned.error;
        if (planned.kind === 'wait') {
          queued = true;
          step = await this.waitTurn(fn, key, provisioned, arrived, planned.reason);
        } else {
          this.apply(planned);
          step = planned;
        }
      }
      madeRoom = false;
      if (step.kind === 'evict') {
        await step.victim.environment.destroy('reclaimed');
        this.remove(functionKeyOf(step.victim), step.victim.environment);
        madeRoom = true;
        continue;
      }
      return { step, waitedMs: queued ? performance.now() - arrived : undefined };
    }
  }

  /**
   * What a call can do now. A warm environment of its function first. Then
   * room within the server's and the workspace's caps. Past the workspace's
   * caps, it may reclaim only its own idle environments; past the server's,
   * also those of workspaces holding more than their protected share, least
   * recently used first. Never one within its workspace's share, never a
   * provisioned one, never one busy or claimed: then it waits.
   */
  private plan(fn: PoolFunction, key: string, provisioned: boolean, capacity: Capacity): Step {
    if (this.disposed) return { kind: 'refuse', error: shuttingDown() };
    if (!provisioned) {
      const warm = (this.slots.get(key) ?? []).find(
        (s) => s.environment.state === 'idle' && !s.claimed,
      );
      if (warm) return { kind: 'warm', slot: warm };
    }
    const { limits } = this.options;
    const largest = Math.min(limits.maxMemoryMb, limits.maxMemoryMbPerWorkspace);
    if (fn.memoryMb > largest) {
      return {
        kind: 'refuse',
        error: new CourseBusyError(
          'WorkspaceFull',
          `The function is configured with ${mb(fn.memoryMb)}, more than the course server runs for one learner (${mb(largest)}), so it cannot run here; lower its memory. (Lambda allows up to 10,240 MB.)`,
        ),
      };
    }
    const mine = capacity.byWorkspace.get(fn.workspaceId) ?? NOTHING;
    const overWorkspace =
      mine.environments + 1 > limits.maxEnvironmentsPerWorkspace ||
      mine.memoryMb + fn.memoryMb > limits.maxMemoryMbPerWorkspace;
    const overServer =
      capacity.total.environments + 1 > limits.maxEnvironments ||
      capacity.total.memoryMb + fn.memoryMb > limits.maxMemoryMb;
    if (!overWorkspace && !overServer) {
      return {
        kind: 'room',
        reservation: { key, workspaceId: fn.workspaceId, memoryMb: fn.memoryMb },
      };
    }
    const share = protectedShare(capacity, fn.workspaceId, limits);
    const victim = capacity.idle.find(
      (s) =>
        s.workspaceId === fn.workspaceId ||
        (!overWorkspace && exceeds(capacity.byWorkspace.get(s.workspaceId) ?? NOTHING, share)),
    );
    if (victim) return { kind: 'evict', victim };
    return { kind: 'wait', reason: overWorkspace ? 'WorkspaceFull' : 'ServerFull' };
  }

  /** Takes what a plan chose, in the same synchronous step as the choice, so no other call can take it too. */
  private apply(step: Go, capacity?: Capacity): void {
    if (step.kind === 'warm') {
      step.slot.claimed = true;
      if (capacity) capacity.idle = capacity.idle.filter((s) => s !== step.slot);
    } else if (step.kind === 'room') {
      this.starting.push(step.reservation);
      if (capacity) {
        const held = capacity.byWorkspace.get(step.reservation.workspaceId) ?? {
          environments: 0,
          memoryMb: 0,
        };
        held.environments++;
        held.memoryMb += step.reservation.memoryMb;
        capacity.byWorkspace.set(step.reservation.workspaceId, held);
        capacity.total.environments++;
        capacity.total.memoryMb += step.reservation.memoryMb;
      }
    } else {
      // Ending marks it dead at once, so nobody else picks it; the caller waits for the end.
      void step.victim.environment.destroy('reclaimed').catch(() => undefined);
      if (capacity) capacity.idle = capacity.idle.filter((s) => s !== step.victim);
    }
  }

  /** Queues the call until a pass lets it go ahead, or refuses it as course busy when the queue is full or its wait runs out. */
  private waitTurn(
    fn: PoolFunction,
    key: string,
    provisioned: boolean,
    arrived: number,
    reason: WaitReason,
  ): Promise<Go> {
    const { limits } = this.options;
    const maxWaiting = limits.maxWaiting ?? 2 * limits.maxEnvironments;
    if (this.waiters.size >= maxWaiting) {
      return Promise.reject(
        new CourseBusyError(
          'QueueFull',
          `The course server is busy: ${this.waiters.size} calls are already waiting for room, the most it queues, so this one was not run. This is the course server's limit, not a Lambda throttle; try again in a few seconds.`,
        ),
      );
    }
    const remainingMs =
      arrived + (limits.capacityWaitMs ?? DEFAULT_CAPACITY_WAIT_MS) - performance.now();
    if (remainingMs <= 0)
      return Promise.reject(this.busyError(reason, performance.now() - arrived));
    return new Promise<Go>((resolve, reject) => {
      let lastReason = reason;
      const leave = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        workspaceId: fn.workspaceId,
        arrived,
        tryNow: (capacity) => {
          const step = this.plan(fn, key, provisioned, capacity);
          if (step.kind === 'wait') {
            lastReason = step.reason;
            return;
          }
          leave();
          if (step.kind === 'refuse') return reject(step.error);
          this.apply(step, capacity);
          resolve(step);
        },
        fail: (error) => {
          leave();
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(this.busyError(lastReason, performance.now() - arrived)),
        remainingMs,
      );
      this.waiters.add(waiter);
      this.schedulePass();
    });
  }

  /** Something may have freed room: lets the waiting calls try again, once per turn of the event loop however many things changed. */
  private schedulePass(): void {
    if (this.passScheduled || this.waiters.size === 0) return;
    this.passScheduled = true;
    setImmediate(() => {
      this.passScheduled = false;
      if (this.waiters.size === 0) return;
      const capacity = this.capacity();
      const held = (workspaceId: string) =>
        capacity.byWorkspace.get(workspaceId)?.environments ?? 0;
      // The lightest users first: one learner's Run does not wait behind another's burst.
      const order = [...this.waiters].sort(
        (a, b) => held(a.workspaceId) - held(b.workspaceId) || a.arrived - b.arrived,
      );
      for (const waiter of order) waiter.tryNow(capacity);
    });
  }

  private busyError(reason: WaitReason, waitedMs: number): CourseBusyError {
    const { limits } = this.options;
    const waited = `The call waited ${(waitedMs / 1000).toFixed(1)} s for room, then was not run.`;
    return new CourseBusyError(
      reason,
      reason === 'ServerFull'
        ? `The course server is busy: invocations under way, other learners' or yours, are using all its room for execution environments. ${waited} This is the course server's limit, not a Lambda throttle (AWS would have run the call); try again in a few seconds.`
        : `The course server runs at most ${limits.maxEnvironmentsPerWorkspace} execution environments and ${mb(limits.maxMemoryMbPerWorkspace)} of configured memory for one learner, and your workspace's other invocations are using them. ${waited} This is the course server's limit, not Lambda's; try again when they have finished.`,
      waitedMs,
    );
  }

  private async startEnvironment(
    fn: PoolFunction,
    key: string,
    provisioned: boolean,
    reservation: Reservation,
  ): Promise<
    | { slot: Slot }
    | {
        environment: ExecutionEnvironment;
        initError: NonNullable<Awaited<ReturnType<typeof ExecutionEnvironment.start>>['initError']>;
      }
  > {
    const start = ExecutionEnvironment.start(fn, this.options);
    this.starts.add(start);
    try {
      const { environment, initError } = await start;
      if (this.disposed) {
        // Started while the pool was being disposed: nothing may outlive it.
        await environment.destroy('reclaimed');
        throw shuttingDown();
      }
      if (initError) {
        if (!environment.gone) this.lingering.add({ environment, workspaceId: fn.workspaceId });
        return { environment, initError };
      }
      // A new on-demand environment belongs to the invocation that started it.
      const slot: Slot = {
        environment,
        claimed: !provisioned,
        configurationId: fn.configurationId,
        workspaceId: fn.workspaceId,
        provisioned,
      };
      const list = this.slots.get(key) ?? [];
      list.push(slot);
      this.slots.set(key, list);
      return { slot };
    } finally {
      this.starts.delete(start);
      this.starting = this.starting.filter((r) => r !== reservation);
      this.schedulePass();
    }
  }

  /** Environments of an older configuration are never reused: idle ones go now, busy ones when done. */
  private async retireStale(key: string, configurationId: string): Promise<void> {
    for (const slot of [...(this.slots.get(key) ?? [])]) {
      if (
        slot.configurationId !== configurationId &&
        slot.environment.state !== 'busy' &&
        !slot.claimed
      ) {
        await slot.environment.destroy('replaced');
        this.remove(key, slot.environment);
      }
    }
  }

  /**
   * Ends and drops the environments whose process died and, given a time, the
   * idle ones unused for longer than the idle TTL. Returns how many were dead.
   */
  private async dropEnded(now: number | undefined): Promise<number> {
    let dead = 0;
    for (const [key, slots] of this.slots) {
      for (const slot of [...slots]) {
        const { environment } = slot;
        const expired =
          now !== undefined &&
          environment.state === 'idle' &&
          !slot.claimed &&
          !slot.provisioned &&
          now - environment.lastUsedAt > this.options.limits.idleTtlMs;
        if (environment.state === 'dead') dead++;
        else if (!expired) continue;
        // A dead environment keeps the reason it ended with; only an expired one is "reclaimed".
        await environment.destroy('reclaimed');
        this.remove(key, environment);
      }
    }
    return dead;
  }

  /** Drops an ended environment from the pool; until it is confirmed gone it keeps counting against the caps. */
  private remove(key: string, environment: ExecutionEnvironment): void {
    const slots = this.slots.get(key) ?? [];
    const slot = slots.find((s) => s.environment === environment);
    const remaining = slots.filter((s) => s !== slot);
    if (remaining.length === 0) this.slots.delete(key);
    else this.slots.set(key, remaining);
    if (slot && !environment.gone)
      this.lingering.add({ environment, workspaceId: slot.workspaceId });
    this.schedulePass();
  }

  private initFailure(
    fn: PoolFunction,
    requestId: string,
    environment: ExecutionEnvironment,
    error: { errorType: string; errorMessage: string },
    waitedMs: number | undefined,
  ): Invocation {
    const status =
      error.errorType === 'Sandbox.Timedout' ? 'timeout' : `error\tError Type: ${error.errorType}`;
    const output = `${environment.initOutput}INIT_REPORT Init Duration: ${environment.initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: ${status}\n`;
    const outcome: InvokeOutcome = {
      requestId,
      payload: JSON.stringify(error),
      errorType: error.errorType,
      output: '',
      durationMs: 0,
      maxMemoryUsedMb: 0,
      environmentEnded: true,
    };
    return this.record(
      fn,
      outcome,
      environment,
      true,
      environment.initDurationMs,
      output,
      waitedMs,
    );
  }

  private record(
    fn: PoolFunction,
    outcome: InvokeOutcome,
    environment: ExecutionEnvironment,
    coldStart: boolean,
    initDurationMs: number | undefined,
    initOutput: string,
    waitedMs: number | undefined,
  ): Invocation {
    const figures = {
      requestId: outcome.requestId,
      version: fn.version,
      durationMs: outcome.durationMs,
      memorySizeMb: fn.memoryMb,
      maxMemoryUsedMb: outcome.maxMemoryUsedMb,
      initDurationMs,
    };
    return {
      requestId: outcome.requestId,
      payload: outcome.payload,
      errorType: outcome.errorType,
      log: formatInvocationLog(figures, outcome.output, initOutput),
      report: {
        requestId: outcome.requestId,
        coldStart,
        environmentId: environment.id,
        sandbox: this.options.sandbox,
        durationMs: round2(outcome.durationMs),
        billedDurationMs: billedDurationMs(figures),
        initDurationMs: initDurationMs === undefined ? undefined : round2(initDurationMs),
        memorySizeMb: fn.memoryMb,
        maxMemoryUsedMb: outcome.maxMemoryUsedMb,
        costUsd: invocationCostUsd(figures),
        ...(waitedMs === undefined ? {} : { courseWaitMs: round2(waitedMs) }),
      },
    };
  }
}

function functionKey(fn: Pick<PoolFunction, 'workspaceId' | 'functionName'>): string {
  return `${fn.workspaceId}/${fn.functionName}`;
}

function functionKeyOf(slot: Slot): string {
  return functionKey({
    workspaceId: slot.workspaceId,
    functionName: slot.environment.spec.functionName,
  });
}

function decrement(counts: Map<string, number>, key: string): void {
  const remaining = (counts.get(key) ?? 1) - 1;
  if (remaining > 0) counts.set(key, remaining);
  else counts.delete(key);
}

/**
 * The part of the server each workspace keeps against other workspaces'
 * demand: its idle environments within it are never reclaimed for others.
 * It is what remains after keeping room for one workspace's whole cap,
 * divided equally among the workspaces holding environments (and the one
 * asking). So the shares of all the others together always leave room for
 * any workspace's burst up to its cap: it may wait for others' running
 * invocations, never for their idle environments.
 */
function protectedShare(capacity: Capacity, requester: string, limits: PoolLimits): Holding {
  const workspaces = capacity.byWorkspace.size + (capacity.byWorkspace.has(requester) ? 0 : 1);
  return {
    environments: Math.floor(
      Math.max(0, limits.maxEnvironments - limits.maxEnvironmentsPerWorkspace) / workspaces,
    ),
    memoryMb: Math.floor(
      Math.max(0, limits.maxMemoryMb - limits.maxMemoryMbPerWorkspace) / workspaces,
    ),
  };
}

const mb = (value: number) => `${value.toLocaleString('en-US')} MB`;

function exceeds(held: Holding, share: Holding): boolean {
  return held.environments > share.environments || held.memoryMb > share.memoryMb;
}

function shuttingDown(): CourseBusyError {
  return new CourseBusyError(
    'ShuttingDown',
    'The course server is shutting down, so the call was not run; try again once it is back.',
  );
}
