import { randomUUID } from 'node:crypto';
import type { CgroupHierarchy } from './cgroup';
import {
  environmentGroupsInUse,
  ExecutionEnvironment,
  type EnvironmentSpec,
  type InvokeOutcome,
} from './execution-environment';
import { billedDurationMs, formatInvocationLog, invocationCostUsd, round2 } from './report';
import type { SandboxLevel } from './sandbox';

/** How often the pool reconciles itself with the processes and cgroups that exist. */
const SWEEP_INTERVAL_MS = 30_000;

/** Caps that protect the machine; hitting one is a 429, never a hang. */
export interface PoolLimits {
  /** Live environments on the whole server. */
  maxEnvironments: number;
  /** Memory configured across all live environments, in MB. */
  maxMemoryMb: number;
  /** Live environments per learner workspace. */
  maxEnvironmentsPerWorkspace: number;
  /** Memory configured across one workspace's live environments, in MB. */
  maxMemoryMbPerWorkspace: number;
  /** An idle environment is reclaimed after this long. */
  idleTtlMs: number;
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

/** Why the pool refused to run an invocation. */
export class ThrottleError extends Error {
  override name = 'ThrottleError';
  constructor(
    readonly reason:
      | 'ReservedFunctionConcurrentInvocationLimitExceeded'
      | 'WorkspaceLimitExceeded'
      | 'ServerCapacityExceeded',
    message: string,
  ) {
    super(message);
  }
}

interface Slot {
  environment: ExecutionEnvironment;
  /** Taken by an invocation that has not started running yet: not available to others. */
  claimed: boolean;
  configurationId: string;
  workspaceId: string;
  provisioned: boolean;
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
 */
export class EnvironmentPool implements FunctionRunner {
  private readonly slots = new Map<string, Slot[]>();
  /** Environments being started, counted against the caps before they exist. */
  private starting: { key: string; workspaceId: string; memoryMb: number }[] = [];
  /** Invocations in flight per function, for reserved concurrency. */
  private readonly admitted = new Map<string, number>();
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
    this.admitted.set(key, inFlight + 1);
    try {
      return await this.invokeAdmitted(fn, key, event, extra);
    } finally {
      const remaining = (this.admitted.get(key) ?? 1) - 1;
      if (remaining > 0) this.admitted.set(key, remaining);
      else this.admitted.delete(key);
    }
  }

  private async invokeAdmitted(
    fn: PoolFunction,
    key: string,
    event: string,
    extra: { clientContext?: unknown; identity?: unknown },
  ): Promise<Invocation> {
    const slots = this.slots.get(key) ?? [];
    const requestId = randomUUID();
    // An idle environment whose process has died is dead, not idle: it is never picked.
    let slot = slots.find((s) => s.environment.state === 'idle' && !s.claimed);
    let coldStart = false;
    let initOutput = '';
    let initDurationMs: number | undefined;
    if (!slot) {
      coldStart = true;
      const started = await this.startEnvironment(fn, key, false);
      if ('initError' in started) {
        return this.initFailure(fn, requestId, started.environment, started.initError);
      }
      slot = started.slot;
    }
    const environment = slot.environment;
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
    return this.record(fn, outcome, environment, coldStart, initDurationMs, initOutput);
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
    const key = functionKey(fn);
    await this.retireStale(key, fn.configurationId);
    const provisioned = (this.slots.get(key) ?? []).filter((s) => s.provisioned);
    for (const extra of provisioned.slice(count)) {
      if (extra.environment.state !== 'busy') {
        await extra.environment.destroy('replaced');
        this.remove(key, extra.environment);
      }
    }
    for (let i = provisioned.length; i < count; i++) {
      const started = await this.startEnvironment(
        { ...fn, initializationType: 'provisioned-concurrency' },
        key,
        true,
      );
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

  async dispose(): Promise<void> {
    clearInterval(this.reaper);
    clearInterval(this.sweeper);
    const all = [...this.slots.values()].flat();
    this.slots.clear();
    await Promise.all([
      ...all.map((slot) => slot.environment.destroy('reclaimed')),
      ...[...this.lingering].map((entry) => entry.environment.reap()),
    ]);
  }

  /** What the pool holds now, for operators and tests: live, starting and lingering environments and their memory. */
  usage(): {
    environments: number;
    memoryMb: number;
    lingering: number;
    byWorkspace: Map<string, { environments: number; memoryMb: number }>;
  } {
    const all = this.accounted();
    const byWorkspace = new Map<string, { environments: number; memoryMb: number }>();
    for (const item of all) {
      const entry = byWorkspace.get(item.workspaceId) ?? { environments: 0, memoryMb: 0 };
      entry.environments++;
      entry.memoryMb += item.memoryMb;
      byWorkspace.set(item.workspaceId, entry);
    }
    return {
      environments: all.length,
      memoryMb: sum(all),
      lingering: this.lingering.size,
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

  private async startEnvironment(
    fn: PoolFunction,
    key: string,
    provisioned: boolean,
  ): Promise<
    | { slot: Slot }
    | {
        environment: ExecutionEnvironment;
        initError: NonNullable<Awaited<ReturnType<typeof ExecutionEnvironment.start>>['initError']>;
      }
  > {
    const reservation = await this.makeRoom(fn, key);
    try {
      const { environment, initError } = await ExecutionEnvironment.start(fn, this.options);
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
      this.starting = this.starting.filter((r) => r !== reservation);
    }
  }

  /**
   * Frees capacity for one more environment, or refuses. The capacity is
   * reserved in the same synchronous step as the check, so concurrent starts
   * cannot overshoot a cap.
   *
   * Fairness: a workspace first gives up its own idle environments. It may take
   * another workspace's idle environment only while it holds less than its fair
   * share of the server (the server's memory divided among the workspaces
   * holding environments), and only from a workspace above its own share: one
   * learner's burst never throws away the warm environments of learners who
   * use no more than their share.
   */
  private async makeRoom(
    fn: PoolFunction,
    key: string,
  ): Promise<{ key: string; workspaceId: string; memoryMb: number }> {
    const { limits } = this.options;
    for (;;) {
      const all = this.accounted();
      const mine = all.filter((s) => s.workspaceId === fn.workspaceId);
      const overServer =
        all.length + 1 > limits.maxEnvironments || sum(all) + fn.memoryMb > limits.maxMemoryMb;
      const overWorkspace =
        mine.length + 1 > limits.maxEnvironmentsPerWorkspace ||
        sum(mine) + fn.memoryMb > limits.maxMemoryMbPerWorkspace;
      if (!overServer && !overWorkspace) {
        const reservation = { key, workspaceId: fn.workspaceId, memoryMb: fn.memoryMb };
        this.starting.push(reservation);
        return reservation;
      }
      const idle = [...this.slots.values()]
        .flat()
        .filter((s) => s.environment.state === 'idle' && !s.claimed && !s.provisioned)
        .sort((a, b) => a.environment.lastUsedAt - b.environment.lastUsedAt);
      const own = idle.filter((s) => s.workspaceId === fn.workspaceId);
      let victim: Slot | undefined;
      if (overServer && !overWorkspace) {
        const shares = fairShares(all, fn.workspaceId, limits);
        const myShare = shares.get(fn.workspaceId)!;
        const withinShare =
          sum(mine) + fn.memoryMb <= myShare.memoryMb && mine.length + 1 <= myShare.environments;
        // Within its share, a workspace takes from those above theirs before giving up its own warm environments.
        victim = withinShare
          ? idle.find((s) => {
              if (s.workspaceId === fn.workspaceId) return false;
              const theirs = all.filter((a) => a.workspaceId === s.workspaceId);
              const share = shares.get(s.workspaceId)!;
              return sum(theirs) > share.memoryMb || theirs.length > share.environments;
            })
          : undefined;
      }
      victim ??= own[0];
      if (!victim) {
        throw overWorkspace
          ? new ThrottleError(
              'WorkspaceLimitExceeded',
              `Your workspace is running its maximum of ${limits.maxEnvironmentsPerWorkspace} execution environments (${limits.maxMemoryMbPerWorkspace} MB); wait for some to finish.`,
            )
          : new ThrottleError(
              'ServerCapacityExceeded',
              "The course server is busy serving other learners: it has no room for another execution environment right now. This is the course server's limit, not a Lambda throttle; try again in a few seconds.",
            );
      }
      await victim.environment.destroy('reclaimed');
      this.remove(functionKeyOf(victim), victim.environment);
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
  }

  private initFailure(
    fn: PoolFunction,
    requestId: string,
    environment: ExecutionEnvironment,
    error: { errorType: string; errorMessage: string },
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
    return this.record(fn, outcome, environment, true, environment.initDurationMs, output);
  }

  private record(
    fn: PoolFunction,
    outcome: InvokeOutcome,
    environment: ExecutionEnvironment,
    coldStart: boolean,
    initDurationMs: number | undefined,
    initOutput: string,
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

/**
 * Each workspace's fair share of the server: its memory and environments
 * divided equally among the workspaces that hold environments, `requester`
 * included, and never more than a workspace's own cap.
 */
function fairShares(
  all: readonly { workspaceId: string }[],
  requester: string,
  limits: PoolLimits,
): Map<string, { memoryMb: number; environments: number }> {
  const workspaces = new Set([...all.map((a) => a.workspaceId), requester]);
  const share = {
    memoryMb: Math.min(
      limits.maxMemoryMbPerWorkspace,
      Math.floor(limits.maxMemoryMb / workspaces.size),
    ),
    environments: Math.min(
      limits.maxEnvironmentsPerWorkspace,
      Math.max(1, Math.floor(limits.maxEnvironments / workspaces.size)),
    ),
  };
  return new Map([...workspaces].map((workspace) => [workspace, share]));
}

function sum(items: { memoryMb: number }[]): number {
  return items.reduce((total, item) => total + item.memoryMb, 0);
}
