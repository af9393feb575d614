import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * How an execution environment is contained.
 * - `bwrap`: bubblewrap namespaces (mount, PID, network, IPC, UTS, user), a
 *   read-only filesystem, a private size-limited /tmp, no network, no
 *   capabilities, a non-root user.
 * - `none`: a plain child process with a clean environment; for machines
 *   without bubblewrap. Reports say so, and production refuses it unless allowed.
 */
export type SandboxLevel = 'bwrap' | 'none';

/**
 * Where each runtime's interpreter lives on the host; the sandbox mounts it
 * read-only. Node is the one running this server (Node 20, as engines requires);
 * Python is the system's 3.11, or its python3 where 3.11 is not installed.
 */
export const RUNTIME_BINARIES = {
  'nodejs20.x': process.execPath,
  'python3.11': ['/usr/bin/python3.11', '/usr/bin/python3'].find((candidate) => existsSync(candidate)) ?? '/usr/bin/python3.11',
} as const satisfies Record<string, string>;

export type RuntimeId = keyof typeof RUNTIME_BINARIES;

/** The uid and gid learner code runs as inside the sandbox (Lambda's sbx_user1051 is 993). */
const SANDBOX_UID = 993;
const SANDBOX_GID = 990;
/** Open files per environment. */
const MAX_OPEN_FILES = 1024;
/** Largest single file an environment may write; /tmp's size caps the total. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

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

let bwrapWorks: boolean | undefined;

/** True when bubblewrap is installed and can create namespaces on this machine. */
export function isBubblewrapUsable(): boolean {
  if (bwrapWorks === undefined) {
    try {
      execFileSync('bwrap', ['--unshare-all', '--die-with-parent', '--ro-bind', '/usr', '/usr', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '/usr/bin/true'], {
        stdio: 'ignore',
        timeout: 5000,
      });
      bwrapWorks = true;
    } catch {
      bwrapWorks = false;
    }
  }
  return bwrapWorks;
}

/**
 * The command line that starts `argv` (paths as seen inside the sandbox) with
 * exactly `env` as its environment. With cgroups, `joinCgroup` is a shell line
 * that moves the shell into the environment's group before anything else runs.
 */
export function buildSandboxCommand(
  level: SandboxLevel,
  mounts: SandboxMounts,
  argv: readonly string[],
  env: Record<string, string>,
  joinCgroup: string | undefined,
): { file: string; args: string[]; env: Record<string, string> } {
  const limits = ['prlimit', `--nofile=${MAX_OPEN_FILES}`, `--fsize=${MAX_FILE_BYTES}`, '--'];
  let inner: string[];
  if (level === 'bwrap') {
    inner = ['bwrap', ...bubblewrapArguments(mounts, env), ...argv];
  } else {
    // Without a sandbox the paths are the host's: map the Lambda paths back.
    const hostPath = (p: string) =>
      p.startsWith('/var/task') ? path.join(mounts.codeDir, p.slice('/var/task'.length)) : p.startsWith('/var/runtime') ? path.join(mounts.runtimeDir, p.slice('/var/runtime'.length)) : p;
    inner = ['env', '-i', ...Object.entries({ ...env, LAMBDA_TASK_ROOT: mounts.codeDir }).map(([k, v]) => `${k}=${v}`), ...argv.map(hostPath)];
  }
  const command = [...limits, ...inner].map(shellQuote).join(' ');
  const script = joinCgroup ? `${joinCgroup} && exec ${command}` : `exec ${command}`;
  return { file: '/bin/sh', args: ['-c', script], env: { PATH: '/usr/bin:/bin' } };
}

function bubblewrapArguments(mounts: SandboxMounts, env: Record<string, string>): string[] {
  const args = [
    '--unshare-all',
    '--unshare-user',
    '--die-with-parent',
    '--new-session',
    '--hostname',
    'sandbox',
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
  args.push('--remount-ro', '/', '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_GID), '--clearenv');
  for (const [key, value] of Object.entries(env)) args.push('--setenv', key, value);
  args.push('--cap-drop', 'ALL', '--disable-userns', '--chdir', '/var/task', '--');
  return args;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
