import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CLONE_NAMESPACE_FLAGS,
  compileSeccompFilter,
  DENIED_SYSCALLS,
  SYSCALL_NUMBERS,
  type SeccompArchitecture,
} from './seccomp';

/**
 * The compiled program, run by a small classic-BPF interpreter over the
 * seccomp_data the kernel would pass: each denied call gets its errno, clone
 * with namespace flags is refused, a foreign ABI is killed, the rest allowed.
 * (sandbox.attacks.test.ts makes the same calls for real inside the sandbox.)
 */
const AUDIT_ARCH = { x64: 0xc000003e, arm64: 0xc00000b7 } as const;
const ALLOW = 0x7fff0000;
const KILL_PROCESS = 0x80000000;
const errno = (value: number) => 0x00050000 | value;

function run(program: Buffer, data: { nr: number; arch: number; args?: number[] }): number {
  const words = new Map<number, number>([
    [0, data.nr >>> 0],
    [4, data.arch >>> 0],
  ]);
  (data.args ?? []).forEach((arg, index) => words.set(16 + index * 8, arg >>> 0));
  let accumulator = 0;
  for (let pc = 0; pc < program.length / 8;) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    switch (code) {
      case 0x20:
        accumulator = words.get(k) ?? 0;
        pc++;
        break;
      case 0x15:
        pc += 1 + (accumulator === k ? jt : jf);
        break;
      case 0x35:
        pc += 1 + (accumulator >= k ? jt : jf);
        break;
      case 0x45:
        pc += 1 + ((accumulator & k) !== 0 ? jt : jf);
        break;
      case 0x06:
        return k;
      default:
        throw new Error(`unexpected opcode ${code.toString(16)} at ${pc}`);
    }
  }
  throw new Error('the program fell off its end');
}

describe.each(['x64', 'arm64'] as SeccompArchitecture[])('the seccomp filter for %s', (arch) => {
  const program = compileSeccompFilter(arch);
  const call = (name: string, args: number[] = []) =>
    run(program, { nr: SYSCALL_NUMBERS[name]![arch]!, arch: AUDIT_ARCH[arch], args });

  it.each(
    DENIED_SYSCALLS.filter((denied) => SYSCALL_NUMBERS[denied.name]![arch] !== undefined).map(
      (denied) => [denied.name, denied.action] as const,
    ),
  )('denies %s with %s', (name, action) => {
    expect(call(name)).toBe(errno(action === 'EPERM' ? 1 : 38));
  });

  it('allows the calls a runtime lives on', () => {
    // read, write, openat, mmap, futex, epoll_wait / epoll_pwait, execve.
    const allowed = arch === 'x64' ? [0, 1, 257, 9, 202, 232, 59] : [63, 64, 56, 222, 98, 22, 221];
    for (const nr of allowed) expect(run(program, { nr, arch: AUDIT_ARCH[arch] })).toBe(ALLOW);
  });

  it('allows fork and threads but refuses clone with any namespace flag', () => {
    const SIGCHLD = 17;
    const THREAD = 0x003d0f00; // CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID
    expect(call('clone', [SIGCHLD])).toBe(ALLOW);
    expect(call('clone', [THREAD])).toBe(ALLOW);
    for (let bit = 0; bit < 32; bit++) {
      const flag = (1 << bit) >>> 0;
      if ((CLONE_NAMESPACE_FLAGS & flag) !== 0)
        expect(call('clone', [SIGCHLD | flag])).toBe(errno(1));
    }
  });

  it('kills a process that calls through another ABI', () => {
    expect(run(program, { nr: 0, arch: 0x40000003 /* AUDIT_ARCH_I386 */ })).toBe(KILL_PROCESS);
  });

  if (arch === 'x64') {
    it('refuses every x32 system call', () => {
      expect(run(program, { nr: 0x40000000 | 1, arch: AUDIT_ARCH.x64 })).toBe(errno(1));
    });
  }
});

describe('the system call tables', () => {
  const headers: Record<SeccompArchitecture, string> = {
    x64: '/usr/include/x86_64-linux-gnu/asm/unistd_64.h',
    arm64: '/usr/include/asm-generic/unistd.h',
  };
  it.each(Object.entries(headers) as [SeccompArchitecture, string][])(
    'match the kernel headers for %s, where the machine has them',
    (arch, header) => {
      if (!existsSync(header)) return;
      const text = readFileSync(header, 'utf8');
      for (const [name, numbers] of Object.entries(SYSCALL_NUMBERS)) {
        const match = new RegExp(`#define __NR(?:3264)?_${name}\\s+(\\d+)`).exec(text);
        expect(numbers[arch], name).toBe(match ? Number(match[1]) : undefined);
      }
    },
  );

  it('name a number for every denied call', () => {
    for (const denied of DENIED_SYSCALLS)
      expect(SYSCALL_NUMBERS[denied.name], denied.name).toBeDefined();
  });
});
