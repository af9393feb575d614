import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
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
 * Where each runtime's interpreter lives on the host; the sandbox mounts it
 * read-only. Node is the one running this server (Node 20, as engines requires);
 * Python is the system's 3.11, or its python3 where 3.11 is not installed.
 */
export const RUNTIME_BINARIES = {
  'nodejs20.x': process.execPath,
  'python3.11':
    ['/usr/bin/python3.11', '/usr/bin/python3'].find((candidate) => existsSync(candidate)) ??
    '/usr/bin/python3.11',
} as const satisfies Record<string, string>;

export type RuntimeId = keyof typeof RUNTIME_BINARIES;

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
      for (const dir of [mounts.codeDir, mounts.runtimeDir, mounts.optDir])
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
  // Without a sandbox the paths are the host's: map the Lambda paths back.
  const hostPath = (p: string) =>
    p.startsWith('/var/task')
      ? path.join(mounts.codeDir, p.slice('/var/task'.length))
      : p.startsWith('/var/runtime')
        ? path.join(mounts.runtimeDir, p.slice('/var/runtime'.length))
        : p;
  return {
    file: '/bin/bash',
    args: ['-c', [...steps, `exec ${argv.map(hostPath).map(shellQuote).join(' ')}`].join(' && ')],
    env: { ...env, LAMBDA_TASK_ROOT: mounts.codeDir },
    cwd: mounts.codeDir,
    extraInputs: [],
  };
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
  // An interpreter installed outside /usr (nvm, pyenv) is mounted read-only where it lives.
  for (const binary of Object.values(RUNTIME_BINARIES)) {
    if (!binary.startsWith('/usr/')) {
      const installRoot = path.dirname(path.dirname(binary));
      args.push('--ro-bind', installRoot, installRoot);
    }
  }
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
