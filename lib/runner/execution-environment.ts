import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Duplex, Readable, Writable } from 'node:stream';
import type { CgroupHierarchy, EnvironmentCgroup } from './cgroup';
import { ControlLineSplitter, type ControlLine, type ControlMessage } from './control-channel';
import { peakRssBytes, processTree, residentBytes, resetPeakRss } from './process-memory';
import {
  buildSandboxCommand,
  CONTROL_FD,
  nodeMajorOf,
  runtimeInterpreter,
  type Interpreter,
  type RuntimeId,
  type SandboxLevel,
} from './sandbox';

/** Lambda caps the INIT phase at 10 seconds. */
export const INIT_TIMEOUT_MS = 10_000;
/** Log output kept per invocation; the rest is dropped behind a marker. */
export const MAX_LOG_BYTES = 256 * 1024;
/** Processes one environment may run at once (learner code may spawn binaries, as on Lambda). */
const MAX_PROCESSES = 64;
/** 1,769 MB of memory buys one full vCPU on Lambda; CPU scales linearly with memory. */
export const MB_PER_VCPU = 1769;
/** How long a runtime that reported a fatal error may take to exit before it is killed. */
const EXIT_GRACE_MS = 1000;
/** How long the runner waits for a killed environment's processes to be gone; past it, the pool's sweep keeps trying. */
const TEARDOWN_DEADLINE_MS = 5000;

/**
 * The runtimes' bootstrap folders, mounted read-only at /var/runtime. Found from
 * the project root, not this file: inside the Next.js server bundle this module
 * no longer sits beside them.
 */
const RUNTIMES_DIR = path.resolve(process.cwd(), 'lib', 'runner', 'runtimes');
const MEMORY_CHECK_INTERVAL_MS = 20;
const MEMORY_PINNED_SAMPLES = 5;
/** The duty cycle of the CPU throttle used where cgroups are unavailable. */
const THROTTLE_PERIOD_MS = 20;

/** Everything an environment needs to start: one function version's configuration and code. */
export interface EnvironmentSpec {
  functionName: string;
  functionArn: string;
  version: string;
  runtime: RuntimeId;
  handler: string;
  memoryMb: number;
  timeoutMs: number;
  /** The learner's own environment variables. */
  environment: Record<string, string>;
  ephemeralStorageMb: number;
  codeDir: string;
  optDir: string | undefined;
  region: string;
  initializationType: 'on-demand' | 'provisioned-concurrency';
  /** Credentials the function sees as its execution role's. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

export type EnvironmentState = 'initializing' | 'idle' | 'busy' | 'dead';

/** Why an environment stopped serving. */
export type EnvironmentEnd =
  'init-failed' | 'timeout' | 'out-of-memory' | 'crashed' | 'reclaimed' | 'replaced';

export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
  stackTrace?: string[];
  requestId?: string;
}

export interface InvokeOutcome {
  requestId: string;
  /** The JSON the function returned, or its error payload. */
  payload: string;
  /** Set when the invocation failed; the Invoke API's X-Amz-Function-Error. */
  errorType: string | undefined;
  /** The invocation's own output: console lines and anything else written to stdout or stderr. */
  output: string;
  durationMs: number;
  maxMemoryUsedMb: number;
  /** True when this invocation ended the environment (crash, timeout, out of memory). */
  environmentEnded: boolean;
}

type OutputSource = 'stdout' | 'stderr' | 'runner';

interface PendingInvoke {
  requestId: string;
  nonce: string;
  message: ControlMessage | undefined;
  streamsDone: Set<'stdout' | 'stderr'>;
  resolve(): void;
}

export interface EnvironmentOptions {
  sandbox: SandboxLevel;
  cgroups: CgroupHierarchy | undefined;
}

type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

/** Environments of this process that exist or may still have processes or a cgroup: never swept. */
const ENVIRONMENTS_IN_USE = new Set<string>();

/** The cgroup names of every environment of this process not yet confirmed gone. */
export function environmentGroupsInUse(): ReadonlySet<string> {
  return new Set([...ENVIRONMENTS_IN_USE].map((id) => `env-${id}`));
}

/**
 * One execution environment: a sandboxed process running a runtime's bootstrap
 * with the function loaded, serving one invocation at a time. Idle, it is
 * frozen (cgroup freezer, else SIGSTOP), so its timers and background work wait
 * for the next invocation, as on Lambda.
 *
 * Nothing the process does can hurt the server: its control messages are
 * bounded and checked against its state (a violation ends it), every wait has a
 * deadline, and every event handler catches at this boundary.
 */
export class ExecutionEnvironment {
  readonly id = randomUUID();
  state: EnvironmentState = 'initializing';
  /** How long INIT took; reported on the first invocation only. */
  initDurationMs = 0;
  /** INIT's output, shown before the first invocation's START line. */
  initOutput = '';
  /** Set once when the first invocation reports INIT. */
  initReported = false;
  lastUsedAt = Date.now();
  endReason: EnvironmentEnd | undefined;
  /** Why the environment was ended for breaking the control protocol, if it was. */
  violation: string | undefined;
  /** True once the environment is ended and its processes and cgroup are confirmed gone. */
  gone = false;

  private readonly child: ChildProcess;
  private readonly cgroup: EnvironmentCgroup | undefined;
  private readonly control: Duplex;
  private readonly splitter: ControlLineSplitter;
  private readonly exited: Promise<ExitStatus>;
  private exitStatus: ExitStatus | undefined;
  /**
   * Output per source. Kept apart so a line on one stream is never cut by text
   * from the other; the log shows stdout, then stderr, then the runner's lines.
   */
  private output: Record<OutputSource, string> = { stdout: '', stderr: '', runner: '' };
  private outputBytes = 0;
  private truncated = false;
  private pending: PendingInvoke | undefined;
  /** A freeze still settling; the next invocation waits for it before thawing. */
  private pausing: Promise<void> | undefined;
  private memoryExhausted = false;
  private initMessage: ((message: ControlMessage | 'violation') => void) | undefined;
  private teardown: Promise<void> | undefined;

  private constructor(
    readonly spec: EnvironmentSpec,
    private readonly options: EnvironmentOptions,
  ) {
    ENVIRONMENTS_IN_USE.add(this.id);
    this.cgroup = options.cgroups?.create(`env-${this.id}`, {
      memoryBytes: spec.memoryMb * 1024 * 1024,
      // INIT runs with a full vCPU at least, so cold starts at small sizes take
      // the ~100-300 ms seen on Lambda, not the seconds a 7 % share would give
      // to booting a runtime (docs/decisions/002-runner-cpu-during-init.md).
      cpus: Math.max(1, spec.memoryMb / MB_PER_VCPU),
      maxProcesses: MAX_PROCESSES,
    });
    try {
      // Throws, naming the runtime, when this machine cannot run it (no Node.js 24 build for arm64).
      const interpreter = runtimeInterpreter(spec.runtime);
      const command = buildSandboxCommand(
        options.sandbox,
        {
          codeDir: spec.codeDir,
          runtimeDir: path.join(RUNTIMES_DIR, runtimeFolder(spec.runtime)),
          interpreter: interpreter.mount,
          optDir: spec.optDir,
          tmpBytes: spec.ephemeralStorageMb * 1024 * 1024,
        },
        runtimeArgv(spec, interpreter),
        lambdaEnvironment(spec),
        this.cgroup?.joinCommand(),
      );
      this.child = spawn(command.file, command.args, {
        env: command.env as NodeJS.ProcessEnv,
        cwd: command.cwd,
        stdio: [
          'ignore',
          'pipe',
          'pipe',
          'pipe',
          ...command.extraInputs.map(() => 'pipe' as const),
        ],
        detached: true,
      });
      command.extraInputs.forEach((data, index) => {
        const input = this.child.stdio[CONTROL_FD + 1 + index] as Writable;
        input.on('error', () => undefined);
        input.end(data);
      });
    } catch (error) {
      void this.cgroup?.destroy().then((gone) => gone && ENVIRONMENTS_IN_USE.delete(this.id));
      if (!this.cgroup) ENVIRONMENTS_IN_USE.delete(this.id);
      throw error;
    }
    this.control = this.child.stdio[CONTROL_FD] as Duplex;
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve((this.exitStatus = { code, signal })));
      // A process that could not be started never exits; it is as good as gone.
      this.child.once('error', () => resolve((this.exitStatus ??= { code: null, signal: null })));
    });
    this.child.once(
      'exit',
      this.guard(() => this.onExit()),
    );
    this.child.on(
      'error',
      this.guard((error: Error) =>
        this.appendOutput('runner', `The runtime could not be started: ${error.message}\n`),
      ),
    );
    this.readStream(this.child.stdout!, 'stdout');
    this.readStream(this.child.stderr!, 'stderr');
    this.splitter = new ControlLineSplitter((line) => this.onControlLine(line));
    this.control.on(
      'data',
      this.guard((chunk: Buffer) => this.splitter.push(chunk)),
    );
    this.control.on('error', () => undefined);
  }

  /**
   * Starts an environment and runs INIT. Resolves with the environment ready to
   * invoke, or with an init error payload (the environment is then ended). Once
   * the process exists this never throws: whatever goes wrong ends it.
   */
  static async start(
    spec: EnvironmentSpec,
    options: EnvironmentOptions,
  ): Promise<{ environment: ExecutionEnvironment; initError: FunctionErrorPayload | undefined }> {
    const started = performance.now();
    const environment = new ExecutionEnvironment(spec, options);
    try {
      const message = await new Promise<ControlMessage | 'violation' | 'timeout' | 'exit'>(
        (resolve) => {
          const timer = setTimeout(() => resolve('timeout'), INIT_TIMEOUT_MS);
          environment.initMessage = (m) => {
            clearTimeout(timer);
            resolve(m);
          };
          void environment.exited.then(() => {
            clearTimeout(timer);
            resolve('exit');
          });
        },
      );
      environment.initMessage = undefined;
      environment.initDurationMs = performance.now() - started;

      if (
        message !== 'timeout' &&
        message !== 'exit' &&
        message !== 'violation' &&
        message.type === 'ready'
      ) {
        environment.initOutput = environment.takeOutput();
        environment.cgroup?.setCpus(spec.memoryMb / MB_PER_VCPU);
        environment.state = 'idle';
        await environment.pause();
        return { environment, initError: undefined };
      }
      let initError: FunctionErrorPayload;
      if (message === 'timeout') {
        // Lambda logs such an INIT as "Status: timeout" and fails the call as a timeout.
        initError = {
          errorType: 'Sandbox.Timedout',
          errorMessage: `INIT phase timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`,
        };
      } else if (message === 'exit') {
        await environment.settleStreams();
        initError = environment.exitError('');
      } else if (message === 'violation') {
        initError = environment.violationError('');
      } else if (message.type === 'init-error') {
        initError = message.error;
      } else {
        initError = environment.violationError('');
      }
      environment.initOutput = environment.takeOutput();
      await environment.destroy('init-failed');
      return { environment, initError };
    } catch (error) {
      // A fault of the runner's own (a cgroup file that vanished, a freeze that failed): end the environment, log the cause.
      console.error(`Execution environment ${environment.id} failed to start:`, error);
      environment.initOutput = environment.takeOutput();
      await environment.destroy('init-failed');
      return {
        environment,
        initError: {
          errorType: 'Runtime.Unknown',
          errorMessage:
            'The course runner could not start the execution environment; the error has been logged.',
        },
      };
    }
  }

  /** Runs one invocation. The environment must be idle; it is busy until this resolves. */
  async invoke(
    event: string,
    requestId: string,
    extra: { clientContext?: unknown; identity?: unknown } = {},
  ): Promise<InvokeOutcome> {
    if (this.state !== 'idle')
      throw new Error(`Environment ${this.id} is ${this.state}, not idle.`);
    this.state = 'busy';
    const nonce = `END-OF-OUTPUT-${randomBytes(12).toString('hex')}`;
    const finished = new Promise<void>((resolve) => {
      this.pending = { requestId, nonce, message: undefined, streamsDone: new Set(), resolve };
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let watchdog: ReturnType<typeof setInterval> | undefined;
    let stopThrottle = () => undefined as void;
    let started = performance.now();
    let race: 'done' | 'timeout' | 'exit';
    try {
      await this.resume();
      this.cgroup?.resetPeak();
      resetPeakRss(this.environmentPids());
      started = performance.now();
      // The deadline is the host's: whatever the channel says, the invocation ends here.
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), this.spec.timeoutMs);
      });
      const deadline = Date.now() + this.spec.timeoutMs;
      this.control.write(
        `${JSON.stringify({ type: 'invoke', requestId, event, deadline, nonce, invokedFunctionArn: this.spec.functionArn, ...extra })}\n`,
      );
      watchdog = this.watchMemory();
      stopThrottle = this.throttleCpu();
      race = await Promise.race([
        finished.then(() => 'done' as const),
        timedOut,
        this.exited.then(() => 'exit' as const),
      ]);
    } catch (error) {
      // The runner's own fault (a thaw that failed, a cgroup that vanished): the environment cannot be trusted to continue.
      console.error(`Execution environment ${this.id} failed during an invocation:`, error);
      this.violation ??= 'an internal error of the runner (logged)';
      race = 'done';
    } finally {
      clearTimeout(timer);
      clearInterval(watchdog);
      stopThrottle();
    }
    const durationMs = performance.now() - started;
    const pending = this.pending!;
    this.pending = undefined;
    const peakBytes = Math.max(this.cgroup?.peakBytes() ?? 0, peakRssBytes(this.environmentPids()));
    let maxMemoryUsedMb = Math.round(peakBytes / (1024 * 1024));

    let payload: string;
    let errorType: string | undefined;
    let ended: EnvironmentEnd | undefined;
    if (race === 'timeout') {
      ended = 'timeout';
      const seconds = (durationMs / 1000).toFixed(2);
      this.appendOutput(
        'runner',
        `${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds\n`,
      );
      errorType = 'Sandbox.Timedout';
      payload = JSON.stringify({
        errorType,
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`,
      });
    } else if (this.violation !== undefined) {
      ended = 'crashed';
      const error = this.violationError(requestId);
      errorType = error.errorType;
      payload = JSON.stringify(error);
      this.appendOutput(
        'runner',
        `RequestId: ${requestId} Error: ${error.errorMessage.replace(/^RequestId: \S+ Error: /, '')}\n${error.errorType}\n`,
      );
    } else {
      if (race === 'exit') await this.settleStreams();
      const message = pending.message;
      if (message?.type === 'result') {
        payload = message.payload;
      } else if (message?.type === 'error' && !message.fatal) {
        errorType = message.error.errorType;
        payload = JSON.stringify(message.error);
      } else {
        // The runtime died: a fatal error it reported, or a crash or kill it could not.
        if (!(await this.waitForExit(EXIT_GRACE_MS))) await this.kill();
        const oom = this.memoryExhausted || (this.cgroup?.oomKilled() ?? false);
        ended = oom ? 'out-of-memory' : 'crashed';
        const error = oom
          ? {
              errorType: 'Runtime.OutOfMemory',
              errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
            }
          : message?.type === 'error'
            ? {
                ...message.error,
                errorMessage: `RequestId: ${requestId} Error: ${message.error.errorMessage}`,
              }
            : this.exitError(requestId);
        if (oom) maxMemoryUsedMb = Math.max(maxMemoryUsedMb, this.spec.memoryMb);
        errorType = error.errorType;
        payload = JSON.stringify(error);
        this.appendOutput(
          'runner',
          `RequestId: ${requestId} Error: ${error.errorMessage.replace(/^RequestId: \S+ Error: /, '')}\n${error.errorType}\n`,
        );
      }
    }

    this.flushHeldBack();
    const output = this.takeOutput();
    this.lastUsedAt = Date.now();
    if (ended) {
      await this.destroy(ended);
    } else {
      this.state = 'idle';
      // Freezing settles in the background: the caller has its answer at once.
      // A failed freeze means the environment died meanwhile; the exit handler deals with that.
      this.pausing = this.pause()
        .catch(() => undefined)
        .finally(() => (this.pausing = undefined));
    }
    return {
      requestId,
      payload,
      errorType,
      output,
      durationMs,
      maxMemoryUsedMb,
      environmentEnded: ended !== undefined,
    };
  }

  /**
   * Ends the environment: kills its processes, wherever they are, and frees its
   * cgroup. Resolves within a deadline; `gone` then says whether everything is
   * confirmed gone (else the pool keeps counting it and its sweep retries).
   */
  destroy(reason: EnvironmentEnd): Promise<void> {
    if (this.state !== 'dead') {
      this.state = 'dead';
      this.endReason ??= reason;
    }
    this.splitter?.stop();
    this.pending?.resolve();
    this.teardown ??= this.kill().then((gone) => this.markGone(gone));
    return this.teardown;
  }

  /** Tries again to remove what an earlier destroy could not; true once everything is gone. */
  async reap(): Promise<boolean> {
    if (!this.gone) this.markGone(await this.kill());
    return this.gone;
  }

  private markGone(gone: boolean): void {
    this.gone = gone;
    if (gone) ENVIRONMENTS_IN_USE.delete(this.id);
  }

  /** Kills every process of the environment and removes its cgroup; true when both are confirmed. */
  private async kill(): Promise<boolean> {
    let groupGone = true;
    if (this.cgroup) {
      groupGone = await this.cgroup.destroy();
    } else {
      killGroup(this.child.pid, 'SIGCONT');
      killGroup(this.child.pid, 'SIGKILL');
    }
    const exited = await this.waitForExit(TEARDOWN_DEADLINE_MS);
    return groupGone && exited;
  }

  /** Waits for the process to exit, at most `ms`; true if it has. */
  private async waitForExit(ms: number): Promise<boolean> {
    if (this.exitStatus) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
    clearTimeout(timer);
    return outcome;
  }

  /** The environment's processes: its cgroup's, else the child's process tree. */
  private environmentPids(): number[] {
    try {
      if (this.cgroup) return this.cgroup.processIds();
    } catch {
      return [];
    }
    return this.child.pid === undefined ? [] : processTree(this.child.pid);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The cgroup's CPU quota and throttling counters, where the environment has a cgroup: what the kernel enforces. */
  cpuControl(): ReturnType<EnvironmentCgroup['cpuControl']> | undefined {
    return this.cgroup?.cpuControl();
  }

  private async pause(): Promise<void> {
    if (this.cgroup) await this.cgroup.freeze();
    else killGroup(this.child.pid, 'SIGSTOP');
  }

  private async resume(): Promise<void> {
    if (this.cgroup) return this.cgroup.thaw();
    // Signals are delivered in order: a SIGCONT after the SIGSTOP undoes it.
    await this.pausing;
    killGroup(this.child.pid, 'SIGCONT');
  }

  /**
   * At its memory limit, a cgroup v1 group can reclaim file pages for a long time
   * instead of failing. Lambda ends such an environment; so does this: hitting
   * the limit in MEMORY_PINNED_SAMPLES checks in a row means out of memory.
   */
  private watchMemory(): ReturnType<typeof setInterval> | undefined {
    const cgroup = this.cgroup;
    if (!cgroup) return this.watchResidentMemory();
    let pinned = 0;
    let lastHits = 0;
    try {
      lastHits = cgroup.limitHits();
    } catch {
      return undefined;
    }
    return setInterval(() => {
      let hits = lastHits;
      try {
        hits = cgroup.limitHits();
      } catch {
        return;
      }
      pinned = hits > lastHits ? pinned + 1 : 0;
      lastHits = hits;
      if (pinned >= MEMORY_PINNED_SAMPLES && !this.memoryExhausted) {
        this.memoryExhausted = true;
        void cgroup.destroy();
      }
    }, MEMORY_CHECK_INTERVAL_MS);
  }

  /**
   * Without cgroups: a resident-memory watchdog. Going over Memory Size ends
   * the environment as an out-of-memory, as the cgroup limit would.
   */
  private watchResidentMemory(): ReturnType<typeof setInterval> | undefined {
    const rootPid = this.child.pid;
    if (rootPid === undefined) return undefined;
    const limit = this.spec.memoryMb * 1024 * 1024;
    return setInterval(() => {
      if (this.memoryExhausted) return;
      if (residentBytes(processTree(rootPid)) > limit) {
        this.memoryExhausted = true;
        killGroup(rootPid, 'SIGKILL');
      }
    }, MEMORY_CHECK_INTERVAL_MS);
  }

  /**
   * Without cgroups: CPU in proportion to memory by duty cycle. In every
   * THROTTLE_PERIOD_MS the environment runs for its share and is stopped for
   * the rest, so a 128 MB function gets about 7 % of a core.
   */
  private throttleCpu(): () => void {
    const share = this.spec.memoryMb / MB_PER_VCPU;
    const rootPid = this.child.pid;
    if (this.cgroup || share >= 1 || rootPid === undefined) return () => undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const runMs = Math.max(1, THROTTLE_PERIOD_MS * share);
    const cycle = () => {
      stopped = !stopped;
      killGroup(rootPid, stopped ? 'SIGSTOP' : 'SIGCONT');
      timer = setTimeout(cycle, stopped ? THROTTLE_PERIOD_MS - runMs : runMs);
    };
    timer = setTimeout(cycle, runMs);
    return () => {
      clearTimeout(timer);
      if (stopped) killGroup(rootPid, 'SIGCONT');
    };
  }

  private onControlLine(line: ControlLine): void {
    if ('violation' in line) return this.violate(line.violation);
    const { message } = line;
    if (this.state === 'initializing' && this.initMessage) {
      if (message.type === 'ready' || message.type === 'init-error')
        return this.initMessage(message);
      return this.violate(`a "${message.type}" message during INIT`);
    }
    const pending = this.pending;
    if (
      this.state === 'busy' &&
      pending &&
      !pending.message &&
      (message.type === 'result' || message.type === 'error')
    ) {
      if (message.requestId !== pending.requestId)
        return this.violate('an answer carrying another request id');
      pending.message = message;
      return this.checkFinished();
    }
    this.violate(
      `a "${message.type}" message while the environment was ${pending?.message ? 'already answered' : this.state}`,
    );
  }

  /**
   * The process broke the control protocol: a forged, malformed, oversized or
   * out-of-turn message. Only learner code does that; the environment ends.
   */
  private violate(detail: string): void {
    if (this.violation !== undefined || this.state === 'dead') return;
    this.violation = detail;
    this.splitter.stop();
    if (this.initMessage) return this.initMessage('violation');
    if (this.pending) return this.pending.resolve();
    void this.destroy('crashed');
  }

  private readStream(stream: Readable, name: 'stdout' | 'stderr'): void {
    stream.setEncoding('utf8');
    stream.on('error', () => undefined);
    stream.on(
      'data',
      this.guard((chunk: string) => {
        const pending = this.pending;
        if (!pending || pending.streamsDone.has(name)) return this.appendOutput(name, chunk);
        // The end-of-output marker may arrive split across reads: keep back a
        // marker's length of text until the next read shows whether it completes.
        const marker = `\n${pending.nonce}\n`;
        const text = this.heldBack[name] + chunk;
        const at = text.indexOf(marker);
        if (at !== -1) {
          this.heldBack[name] = '';
          this.appendOutput(name, text.slice(0, at) + text.slice(at + marker.length));
          pending.streamsDone.add(name);
          this.checkFinished();
        } else {
          const keep = Math.min(text.length, marker.length - 1);
          this.appendOutput(name, text.slice(0, text.length - keep));
          this.heldBack[name] = text.slice(text.length - keep);
        }
      }),
    );
  }

  /** Text withheld while it might be the start of the end-of-output marker. */
  private heldBack: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  private flushHeldBack(): void {
    this.appendOutput('stdout', this.heldBack.stdout);
    this.appendOutput('stderr', this.heldBack.stderr);
    this.heldBack = { stdout: '', stderr: '' };
  }

  private checkFinished(): void {
    const pending = this.pending;
    if (pending?.message && pending.streamsDone.size === 2) pending.resolve();
  }

  /** After an exit, give the pipes a moment to deliver what the process wrote last. */
  private async settleStreams(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
  }

  private appendOutput(source: OutputSource, text: string): void {
    if (this.truncated || text.length === 0) return;
    const bytes = Buffer.byteLength(text);
    if (this.outputBytes + bytes > MAX_LOG_BYTES) {
      const room = MAX_LOG_BYTES - this.outputBytes;
      this.output[source] +=
        `${Buffer.from(text).subarray(0, Math.max(0, room)).toString('utf8')}\n[log truncated: this invocation wrote more than ${MAX_LOG_BYTES / 1024} KB]\n`;
      this.truncated = true;
      return;
    }
    this.output[source] += text;
    this.outputBytes += bytes;
  }

  private takeOutput(): string {
    const parts = [this.output.stdout, this.output.stderr, this.output.runner].filter(
      (part) => part.length > 0,
    );
    this.output = { stdout: '', stderr: '', runner: '' };
    this.outputBytes = 0;
    this.truncated = false;
    return parts.map((part) => (part.endsWith('\n') ? part : `${part}\n`)).join('');
  }

  /** An environment that dies while idle is cleaned up here; during an invocation, invoke() does it. */
  private onExit(): void {
    if (this.state === 'idle') void this.destroy('crashed');
  }

  /**
   * Wraps an event handler so nothing it throws reaches the server's event
   * loop: a fault while handling one environment's events ends that environment.
   */
  private guard<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      try {
        handler(...args);
      } catch (error) {
        console.error(
          `Execution environment ${this.id}: an event handler failed; ending the environment.`,
          error,
        );
        this.violation ??= 'an internal error of the runner (logged)';
        if (this.pending) this.pending.resolve();
        else if (this.initMessage) this.initMessage('violation');
        else void this.destroy('crashed');
      }
    };
  }

  /** The error a protocol violation ends the invocation with: the process is ended, as a runtime that exits is. */
  private violationError(requestId: string): FunctionErrorPayload {
    return {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: the runtime broke the control protocol (${this.violation ?? 'unexpected message'}), so the environment was ended`,
    };
  }

  /** Lambda's Runtime.ExitError for a process that ended on its own. */
  private exitError(requestId: string): FunctionErrorPayload {
    const status = this.exitStatus;
    const how = status?.signal
      ? `signal: ${signalName(status.signal)}`
      : `exit status ${status?.code ?? 'unknown'}`;
    return {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${how}`,
    };
  }
}

function signalName(signal: NodeJS.Signals): string {
  return signal === 'SIGKILL'
    ? 'killed'
    : signal === 'SIGSEGV'
      ? 'segmentation fault'
      : signal === 'SIGABRT'
        ? 'aborted'
        : signal.replace(/^SIG/, '').toLowerCase();
}

/**
 * Signals a process and every descendant. Not a process group: bubblewrap puts
 * the sandboxed process in a session of its own.
 */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  for (const member of processTree(pid)) {
    try {
      process.kill(member, signal);
    } catch {
      // Already gone.
    }
  }
}

function runtimeFolder(runtime: RuntimeId): string {
  return runtime.startsWith('nodejs') ? 'node' : 'python';
}

function runtimeArgv(spec: EnvironmentSpec, interpreter: Interpreter): string[] {
  const nodeMajor = nodeMajorOf(spec.runtime);
  if (nodeMajor === undefined) return [interpreter.path, '-u', '-B', '/var/runtime/bootstrap.py'];
  return [
    interpreter.path,
    ...lambdaNodeFlags(nodeMajor, spec.environment.NODE_OPTIONS ?? ''),
    // Keep V8's heap inside the memory limit so a runaway heap fails as a Node error, not only as a kernel kill.
    `--max-old-space-size=${Math.max(32, Math.floor(spec.memoryMb * 0.85))}`,
    '/var/runtime/bootstrap.mjs',
  ];
}

/**
 * The experimental Node.js features Lambda turns off, per runtime (the Node.js
 * page of the developer guide, "Experimental Node.js features"): require() of
 * ES modules on Node.js 20 and 22, and detecting ES module syntax in an
 * ambiguous .js file on Node.js 22. Node.js 24 runs with both. A function that
 * names the re-enabling flag in NODE_OPTIONS gets the feature back, as on
 * Lambda, which "detects this override and removes the corresponding disable
 * flag" (a flag on the command line would otherwise win over NODE_OPTIONS).
 */
function lambdaNodeFlags(nodeMajor: number, nodeOptions: string): string[] {
  const disabled = [
    { flag: '--no-experimental-require-module', majors: [20, 22] },
    { flag: '--no-experimental-detect-module', majors: [22] },
  ];
  const options = nodeOptions.split(/\s+/);
  return disabled
    .filter(({ majors }) => majors.includes(nodeMajor))
    .filter(({ flag }) => !options.includes(flag.replace('--no-', '--')))
    .map(({ flag }) => flag);
}

/** Lambda's reserved variables plus the learner's; nothing from the server's own environment. */
export function lambdaEnvironment(spec: EnvironmentSpec): Record<string, string> {
  const nodeMajor = nodeMajorOf(spec.runtime);
  const logStream = `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[${spec.version}]${randomBytes(16).toString('hex')}`;
  return {
    ...spec.environment,
    _HANDLER: spec.handler,
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: spec.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: spec.initializationType,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStream,
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    AWS_ACCESS_KEY_ID: spec.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: spec.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: spec.credentials.sessionToken,
    LAMBDA_TASK_ROOT: '/var/task',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    // Unreserved: Lambda sets these, and a function's own value wins (developer guide, "Defined runtime environment variables").
    TZ: spec.environment.TZ ?? ':UTC',
    LANG: spec.environment.LANG ?? 'en_US.UTF-8',
    PATH: spec.environment.PATH ?? '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
    LD_LIBRARY_PATH:
      spec.environment.LD_LIBRARY_PATH ??
      '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib',
    ...(nodeMajor !== undefined
      ? {
          // Lambda's: the two layer paths of nodejsNN.x (developer guide, "Layer paths for each Lambda runtime"), then the runtime's and the function's.
          NODE_PATH:
            spec.environment.NODE_PATH ??
            `/opt/nodejs/node${nodeMajor}/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task`,
        }
      : {
          PYTHONPATH:
            spec.environment.PYTHONPATH ??
            '/var/runtime:/var/task:/opt/python/lib/python3.11/site-packages:/opt/python',
        }),
  };
}
