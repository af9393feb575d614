/**
 * The seccomp filter every sandboxed environment runs under: a declarative
 * list of system calls learner code has no business making, compiled here into
 * the classic-BPF program bubblewrap installs with `--seccomp FD` just before
 * it starts the runtime.
 *
 * Why a deny-list and not an allow-list: learner code may run any program the
 * runtime image has (as on Lambda), and an allow-list complete enough for Node,
 * Python and their child processes is long and breaks with each new libc. The
 * namespaces, the unprivileged host user and the read-only mounts are the walls;
 * this filter removes the kernel interfaces that have given container escapes
 * and host-wide effects (docs/security.md lists why each is here).
 *
 * Kernel ABI: struct seccomp_data is { int nr; __u32 arch; __u64
 * instruction_pointer; __u64 args[6]; } and a filter is an array of struct
 * sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; } in host byte order
 * (linux/seccomp.h, linux/filter.h).
 */

/** What the filter does with a denied call. */
export type DeniedAction = 'EPERM' | 'ENOSYS';

export interface DeniedSyscall {
  name: string;
  /**
   * EPERM for calls a program should treat as forbidden; ENOSYS where the C
   * library or runtime falls back to an older call when the kernel "lacks" it
   * (clone3 → clone, io_uring → the thread pool).
   */
  action: DeniedAction;
  why: string;
}

/** The denied system calls, each with the reason it is denied. */
export const DENIED_SYSCALLS: readonly DeniedSyscall[] = [
  // Filesystems and namespaces: the sandbox's view of the world is fixed by bubblewrap.
  {
    name: 'mount',
    action: 'EPERM',
    why: 'mounting could hide or replace the read-only task, runtime and /opt mounts',
  },
  {
    name: 'umount2',
    action: 'EPERM',
    why: 'unmounting could uncover what the sandbox mounts over',
  },
  { name: 'pivot_root', action: 'EPERM', why: 'changes the root filesystem' },
  { name: 'chroot', action: 'EPERM', why: 'changes the root filesystem' },
  { name: 'fsopen', action: 'EPERM', why: 'new mount API' },
  { name: 'fsconfig', action: 'EPERM', why: 'new mount API' },
  { name: 'fsmount', action: 'EPERM', why: 'new mount API' },
  { name: 'fspick', action: 'EPERM', why: 'new mount API' },
  { name: 'move_mount', action: 'EPERM', why: 'new mount API' },
  { name: 'open_tree', action: 'EPERM', why: 'new mount API' },
  {
    name: 'mount_setattr',
    action: 'EPERM',
    why: 'new mount API: could make a read-only mount writable',
  },
  {
    name: 'unshare',
    action: 'EPERM',
    why: 'new namespaces are the first step of most user-namespace escapes',
  },
  { name: 'setns', action: 'EPERM', why: 'entering another namespace' },
  {
    name: 'clone3',
    action: 'ENOSYS',
    why: 'its flags sit behind a pointer the filter cannot read; the C library falls back to clone, whose namespace flags the filter checks',
  },
  {
    name: 'open_by_handle_at',
    action: 'EPERM',
    why: 'opens files by handle, bypassing the mount tree (the "shocker" escape)',
  },
  { name: 'name_to_handle_at', action: 'EPERM', why: 'the other half of open_by_handle_at' },
  // Other processes' memory and state.
  {
    name: 'ptrace',
    action: 'EPERM',
    why: "tracing could read or change another process's memory, the sandbox's init included",
  },
  { name: 'process_vm_readv', action: 'EPERM', why: "reads another process's memory" },
  { name: 'process_vm_writev', action: 'EPERM', why: "writes another process's memory" },
  { name: 'kcmp', action: 'EPERM', why: "compares other processes' kernel resources" },
  { name: 'pidfd_getfd', action: 'EPERM', why: "steals another process's file descriptors" },
  // Large kernel attack surfaces.
  { name: 'bpf', action: 'EPERM', why: 'loads programs into the kernel' },
  {
    name: 'perf_event_open',
    action: 'EPERM',
    why: 'a history of kernel bugs, and side channels on other tenants',
  },
  {
    name: 'io_uring_setup',
    action: 'ENOSYS',
    why: 'a history of kernel bugs; libuv falls back to its thread pool',
  },
  { name: 'io_uring_enter', action: 'EPERM', why: 'io_uring' },
  { name: 'io_uring_register', action: 'EPERM', why: 'io_uring' },
  { name: 'userfaultfd', action: 'EPERM', why: 'used to widen race windows in kernel exploits' },
  { name: 'keyctl', action: 'EPERM', why: 'the kernel keyring is not namespaced' },
  { name: 'add_key', action: 'EPERM', why: 'the kernel keyring is not namespaced' },
  { name: 'request_key', action: 'EPERM', why: 'the kernel keyring is not namespaced' },
  { name: 'fanotify_init', action: 'EPERM', why: 'watches filesystems beyond the sandbox' },
  { name: 'lookup_dcookie', action: 'EPERM', why: 'kernel profiling interface' },
  // The machine itself.
  { name: 'kexec_load', action: 'EPERM', why: 'replaces the running kernel' },
  { name: 'kexec_file_load', action: 'EPERM', why: 'replaces the running kernel' },
  { name: 'init_module', action: 'EPERM', why: 'loads kernel modules' },
  { name: 'finit_module', action: 'EPERM', why: 'loads kernel modules' },
  { name: 'delete_module', action: 'EPERM', why: 'unloads kernel modules' },
  { name: 'reboot', action: 'EPERM', why: 'restarts the machine' },
  { name: 'swapon', action: 'EPERM', why: "changes the machine's swap" },
  { name: 'swapoff', action: 'EPERM', why: "changes the machine's swap" },
  { name: 'acct', action: 'EPERM', why: 'process accounting is host-wide' },
  { name: 'quotactl', action: 'EPERM', why: 'disk quotas are host-wide' },
  { name: 'quotactl_fd', action: 'EPERM', why: 'disk quotas are host-wide' },
  { name: 'syslog', action: 'EPERM', why: "reads or clears the kernel's log" },
  { name: 'vhangup', action: 'EPERM', why: 'hangs up terminals' },
  { name: 'nfsservctl', action: 'EPERM', why: 'kernel NFS server' },
  {
    name: 'sethostname',
    action: 'EPERM',
    why: "the host name is the sandbox's own; nothing needs to change it",
  },
  {
    name: 'setdomainname',
    action: 'EPERM',
    why: "the domain name is the sandbox's own; nothing needs to change it",
  },
  // The clock is shared by every process on the machine.
  { name: 'settimeofday', action: 'EPERM', why: "sets the machine's clock" },
  { name: 'clock_settime', action: 'EPERM', why: "sets the machine's clock" },
  { name: 'clock_adjtime', action: 'EPERM', why: "adjusts the machine's clock" },
  { name: 'adjtimex', action: 'EPERM', why: "adjusts the machine's clock" },
  // x86 only: hardware and legacy interfaces.
  { name: 'iopl', action: 'EPERM', why: 'raw I/O port access' },
  { name: 'ioperm', action: 'EPERM', why: 'raw I/O port access' },
  { name: 'uselib', action: 'EPERM', why: 'obsolete loader interface' },
  { name: '_sysctl', action: 'EPERM', why: 'obsolete sysctl interface' },
];

/**
 * clone() flags that make new namespaces: refused with EPERM, so learner code
 * cannot build namespaces of its own (bubblewrap's --disable-userns stops user
 * namespaces too; this stops the rest). Threads and fork stay allowed.
 * CLONE_NEWTIME is absent on purpose: for clone() its bit is part of the exit signal.
 */
export const CLONE_NAMESPACE_FLAGS =
  0x00020000 /* CLONE_NEWNS */ |
  0x02000000 /* CLONE_NEWCGROUP */ |
  0x04000000 /* CLONE_NEWUTS */ |
  0x08000000 /* CLONE_NEWIPC */ |
  0x10000000 /* CLONE_NEWUSER */ |
  0x20000000 /* CLONE_NEWPID */ |
  0x40000000; /* CLONE_NEWNET */

export type SeccompArchitecture = 'x64' | 'arm64';

/** AUDIT_ARCH_* values (linux/audit.h): the filter kills a process calling in through another ABI. */
const AUDIT_ARCH: Record<SeccompArchitecture, number> = { x64: 0xc000003e, arm64: 0xc00000b7 };

/**
 * System call numbers: x86_64 from asm/unistd_64.h, arm64 from the generic
 * table (asm-generic/unistd.h). `undefined` where the architecture lacks the
 * call. seccomp.test.ts checks both tables against the kernel headers when the
 * machine has them.
 */
export const SYSCALL_NUMBERS: Record<string, Record<SeccompArchitecture, number | undefined>> = {
  mount: { x64: 165, arm64: 40 },
  umount2: { x64: 166, arm64: 39 },
  pivot_root: { x64: 155, arm64: 41 },
  chroot: { x64: 161, arm64: 51 },
  fsopen: { x64: 430, arm64: 430 },
  fsconfig: { x64: 431, arm64: 431 },
  fsmount: { x64: 432, arm64: 432 },
  fspick: { x64: 433, arm64: 433 },
  move_mount: { x64: 429, arm64: 429 },
  open_tree: { x64: 428, arm64: 428 },
  mount_setattr: { x64: 442, arm64: 442 },
  unshare: { x64: 272, arm64: 97 },
  setns: { x64: 308, arm64: 268 },
  clone: { x64: 56, arm64: 220 },
  clone3: { x64: 435, arm64: 435 },
  open_by_handle_at: { x64: 304, arm64: 265 },
  name_to_handle_at: { x64: 303, arm64: 264 },
  ptrace: { x64: 101, arm64: 117 },
  process_vm_readv: { x64: 310, arm64: 270 },
  process_vm_writev: { x64: 311, arm64: 271 },
  kcmp: { x64: 312, arm64: 272 },
  pidfd_getfd: { x64: 438, arm64: 438 },
  bpf: { x64: 321, arm64: 280 },
  perf_event_open: { x64: 298, arm64: 241 },
  io_uring_setup: { x64: 425, arm64: 425 },
  io_uring_enter: { x64: 426, arm64: 426 },
  io_uring_register: { x64: 427, arm64: 427 },
  userfaultfd: { x64: 323, arm64: 282 },
  keyctl: { x64: 250, arm64: 219 },
  add_key: { x64: 248, arm64: 217 },
  request_key: { x64: 249, arm64: 218 },
  fanotify_init: { x64: 300, arm64: 262 },
  lookup_dcookie: { x64: 212, arm64: 18 },
  kexec_load: { x64: 246, arm64: 104 },
  kexec_file_load: { x64: 320, arm64: 294 },
  init_module: { x64: 175, arm64: 105 },
  finit_module: { x64: 313, arm64: 273 },
  delete_module: { x64: 176, arm64: 106 },
  reboot: { x64: 169, arm64: 142 },
  swapon: { x64: 167, arm64: 224 },
  swapoff: { x64: 168, arm64: 225 },
  acct: { x64: 163, arm64: 89 },
  quotactl: { x64: 179, arm64: 60 },
  quotactl_fd: { x64: 443, arm64: 443 },
  syslog: { x64: 103, arm64: 116 },
  vhangup: { x64: 153, arm64: 58 },
  nfsservctl: { x64: 180, arm64: 42 },
  sethostname: { x64: 170, arm64: 161 },
  setdomainname: { x64: 171, arm64: 162 },
  settimeofday: { x64: 164, arm64: 170 },
  clock_settime: { x64: 227, arm64: 112 },
  clock_adjtime: { x64: 305, arm64: 266 },
  adjtimex: { x64: 159, arm64: 171 },
  iopl: { x64: 172, arm64: undefined },
  ioperm: { x64: 173, arm64: undefined },
  uselib: { x64: 134, arm64: undefined },
  _sysctl: { x64: 156, arm64: undefined },
};

// Classic BPF opcodes (linux/bpf_common.h, linux/filter.h).
const BPF_LD_W_ABS = 0x20; // BPF_LD | BPF_W | BPF_ABS
const BPF_JEQ_K = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const BPF_JGE_K = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const BPF_JSET_K = 0x45; // BPF_JMP | BPF_JSET | BPF_K
const BPF_RET_K = 0x06; // BPF_RET | BPF_K

// Return values (linux/seccomp.h).
const SECCOMP_RET_KILL_PROCESS = 0x80000000;
const SECCOMP_RET_ERRNO = 0x00050000;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const ERRNO: Record<DeniedAction, number> = { EPERM: 1, ENOSYS: 38 };

// Offsets into struct seccomp_data; args are 64-bit, little-endian, so the low half comes first.
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
const OFFSET_ARG0_LOW = 16;

/** x32 system calls on x86_64 carry this bit; the filter refuses them all rather than list them twice. */
const X32_SYSCALL_BIT = 0x40000000;

/** One instruction, with jumps named by label until the program is laid out. */
interface Instruction {
  code: number;
  k: number;
  jt?: string;
  jf?: string;
  label?: string;
}

/** The architecture this process runs on, as the filter names it, or undefined where it has no table. */
export function hostSeccompArchitecture(): SeccompArchitecture | undefined {
  return process.arch === 'x64' || process.arch === 'arm64' ? process.arch : undefined;
}

/**
 * Compiles DENIED_SYSCALLS for one architecture into the bytes bubblewrap's
 * `--seccomp` reads: a program that kills any call through a foreign ABI,
 * answers each denied call with its errno, refuses clone() with namespace flags
 * and allows everything else.
 */
export function compileSeccompFilter(
  arch: SeccompArchitecture,
  denied: readonly DeniedSyscall[] = DENIED_SYSCALLS,
): Buffer {
  const program: Instruction[] = [
    { code: BPF_LD_W_ABS, k: OFFSET_ARCH },
    { code: BPF_JEQ_K, k: AUDIT_ARCH[arch], jt: 'native', jf: 'kill' },
    { code: BPF_LD_W_ABS, k: OFFSET_NR, label: 'native' },
  ];
  if (arch === 'x64') program.push({ code: BPF_JGE_K, k: X32_SYSCALL_BIT, jt: 'EPERM' });
  for (const call of denied) {
    const nr = SYSCALL_NUMBERS[call.name]?.[arch];
    if (SYSCALL_NUMBERS[call.name] === undefined)
      throw new Error(
        `No system call number is known for ${call.name}; add it to SYSCALL_NUMBERS.`,
      );
    if (nr !== undefined) program.push({ code: BPF_JEQ_K, k: nr, jt: call.action });
  }
  program.push(
    { code: BPF_JEQ_K, k: SYSCALL_NUMBERS.clone![arch]!, jt: 'clone' },
    { code: BPF_RET_K, k: SECCOMP_RET_ALLOW },
    { code: BPF_LD_W_ABS, k: OFFSET_ARG0_LOW, label: 'clone' },
    { code: BPF_JSET_K, k: CLONE_NAMESPACE_FLAGS, jt: 'EPERM' },
    { code: BPF_RET_K, k: SECCOMP_RET_ALLOW },
    { code: BPF_RET_K, k: SECCOMP_RET_ERRNO | ERRNO.EPERM, label: 'EPERM' },
    { code: BPF_RET_K, k: SECCOMP_RET_ERRNO | ERRNO.ENOSYS, label: 'ENOSYS' },
    { code: BPF_RET_K, k: SECCOMP_RET_KILL_PROCESS, label: 'kill' },
  );
  return assemble(program);
}

/** Lays the program out: jump labels become the forward offsets classic BPF wants (0–255). */
function assemble(program: readonly Instruction[]): Buffer {
  const at = new Map(
    program.flatMap((instruction, index) =>
      instruction.label ? [[instruction.label, index] as const] : [],
    ),
  );
  const offset = (from: number, label: string | undefined): number => {
    if (label === undefined) return 0;
    const target = at.get(label);
    if (target === undefined) throw new Error(`seccomp: no instruction is labelled ${label}`);
    const distance = target - from - 1;
    if (distance < 0 || distance > 255)
      throw new Error(
        `seccomp: a jump to ${label} spans ${distance} instructions; classic BPF allows 0 to 255`,
      );
    return distance;
  };
  const bytes = Buffer.alloc(program.length * 8);
  program.forEach((instruction, index) => {
    bytes.writeUInt16LE(instruction.code, index * 8);
    bytes.writeUInt8(offset(index, instruction.jt), index * 8 + 2);
    bytes.writeUInt8(offset(index, instruction.jf), index * 8 + 3);
    bytes.writeUInt32LE(instruction.k >>> 0, index * 8 + 4);
  });
  return bytes;
}
