import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, json, nodeFunction, ROLE } from '../lambda/testing/service-harness';
import { MAX_CONTROL_LINE_BYTES } from './control-channel';
import { environmentGroupsInUse, ExecutionEnvironment } from './execution-environment';
import { processTree } from './process-memory';
import { DENIED_SYSCALLS, hostSeccompArchitecture, SYSCALL_NUMBERS } from './seccomp';
import { SANDBOX_HOST_USER, sandboxHostIdentity } from './sandbox';
import { testEnvironmentSpec } from './testing/environment-spec';

/**
 * The attacks of issue 8, each written as a hostile learner would: a handler
 * that writes host kernel settings, forges or floods the control channel,
 * leaks INIT, calls what the seccomp filter denies. Each must be contained and
 * leave the runner serving others: after each, an ordinary function still runs.
 */
const WS = 'hostile';
let harness: Awaited<ReturnType<typeof createTestService>>;

beforeAll(async () => {
  harness = await createTestService({ maxEnvironmentsPerWorkspace: 12 });
  await harness.service.createFunction(
    'bystander',
    nodeFunction('healthy', 'export const handler = async () => "still fine";'),
  );
});
afterAll(() => harness.dispose());

async function stillServesOthers(): Promise<void> {
  const healthy = await harness.service.invoke('bystander', 'healthy', json({}));
  expect(healthy.payload).toBe('"still fine"');
}

async function runNode(
  name: string,
  source: string,
  settings: Record<string, unknown> = {},
  event: unknown = {},
) {
  await harness.service.createFunction(
    WS,
    nodeFunction(name, source, { MemorySize: 512, Timeout: 5, ...settings }),
  );
  return harness.service.invoke(WS, name, json(event));
}

/** Processes of the hostile workspace's environments still on the host, and its environments in the pool. */
function leftovers(name: string): { environments: number; processes: number[] } {
  const environments = harness.pool.environmentsOf({ workspaceId: WS, functionName: name });
  return {
    environments: environments.length,
    processes: environments.flatMap((e) => (e.pid === undefined ? [] : processTree(e.pid))),
  };
}

const HOST_SYSCTLS = [
  'kernel/printk_ratelimit_burst',
  'kernel/core_pattern',
  'fs/suid_dumpable',
  'vm/drop_caches',
  'kernel/pid_max',
  'kernel/panic',
  'kernel/randomize_va_space',
];

describe('the host kernel and host processes are out of reach', () => {
  it('cannot open any host sysctl for writing, and the host sees no change', async () => {
    const before = HOST_SYSCTLS.map((name) => readSysctl(name));
    const result = await runNode(
      'sysctl',
      `import fs from 'node:fs';
       export const handler = async (event) => event.names.map((name) => { try { fs.writeFileSync('/proc/sys/' + name, name === 'kernel/pid_max' ? '65536' : '1'); return 'wrote'; } catch (e) { return e.code; } });`,
      {},
      { names: HOST_SYSCTLS },
    );
    const outcomes = JSON.parse(result.payload) as string[];
    expect(outcomes).toHaveLength(HOST_SYSCTLS.length);
    outcomes.forEach((outcome, i) => {
      // Since Linux 6.14 pid_max belongs to the PID namespace: the sandbox may set its own, never the host's (checked below).
      if (HOST_SYSCTLS[i] === 'kernel/pid_max' && outcome !== 'wrote')
        expect(outcome).toMatch(/^(EACCES|EROFS|EPERM|ENOENT|EINVAL)$/);
      else if (HOST_SYSCTLS[i] !== 'kernel/pid_max')
        expect(outcome, HOST_SYSCTLS[i]).toMatch(/^(EACCES|EROFS|EPERM|ENOENT)$/);
    });
    expect(HOST_SYSCTLS.map((name) => readSysctl(name))).toEqual(before);
    await stillServesOthers();
  });

  it('runs as an unprivileged host user: no sandbox process is host root', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction(
        'whoami',
        'import fs from "node:fs"; export const handler = async () => fs.readFileSync("/proc/self/uid_map", "utf8");',
      ),
    );
    const result = await harness.service.invoke(WS, 'whoami', json({}));
    expect(JSON.parse(result.payload)).toMatch(/^\s*993\s+\d+\s+1\s*$/);
    const { processes } = leftovers('whoami');
    expect(processes.length).toBeGreaterThan(0);
    const hostUids = processes.flatMap((pid) => {
      try {
        return [Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1])];
      } catch {
        return [];
      }
    });
    // The wrapper shell that joins the cgroup is the child's root; everything bubblewrap starts is the sandbox's user.
    const sandboxed = hostUids.slice(1);
    expect(sandboxed.length).toBeGreaterThan(0);
    for (const uid of sandboxed) expect(uid).not.toBe(0);
    if (process.getuid?.() === 0)
      for (const uid of sandboxed) expect(uid).toBe(sandboxHostIdentity()!.uid);
    // Under memory pressure the kernel's out-of-memory killer takes learner code first, never the server.
    for (const pid of processes)
      expect(readFileSync(`/proc/${pid}/oom_score_adj`, 'utf8').trim()).toBe('1000');
  });

  it('holds no descriptor of the host beyond stdio and the control channel, and no secret on any command line', async () => {
    await harness.service.createFunction(WS, {
      ...nodeFunction('descriptors', 'export const handler = async () => "ok";'),
      Environment: { Variables: { MARKER: 'x' } },
    });
    await harness.service.invoke(WS, 'descriptors', json({}));
    const [environment] = harness.pool.environmentsOf({
      workspaceId: WS,
      functionName: 'descriptors',
    });
    const runtime = processTree(environment!.pid!).at(-1)!;
    const links = readdirSync(`/proc/${runtime}/fd`).map((fd) => ({
      fd: Number(fd),
      target: safeReadlink(`/proc/${runtime}/fd/${fd}`),
    }));
    // What the server process holds (its database, its sockets) must not appear in the sandbox.
    const serverTargets = new Set(
      readdirSync('/proc/self/fd')
        .map((fd) => safeReadlink(`/proc/self/fd/${fd}`))
        .filter((t) => /^(socket|pipe):|\.sqlite/.test(t)),
    );
    for (const { fd, target } of links) {
      if (fd <= 3) continue;
      expect(serverTargets.has(target), `fd ${fd} → ${target} is the server's`).toBe(false);
    }
    const secret = (await harness.repository.credentialsFor(WS, new Date())).secretAccessKey;
    const commandLines = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          return '';
        }
      });
    expect(commandLines.some((line) => line.includes(secret))).toBe(false);
  });
});

describe('folders only root can enter', () => {
  it.skipIf(process.getuid?.() !== 0)(
    'are mounted by granting the sandbox account search permission alone, not opening them to everyone',
    async () => {
      const root = mkdtempSync(path.join(tmpdir(), 'runner-private-'));
      const codeDir = path.join(root, 'code');
      mkdirSync(codeDir, { mode: 0o755 });
      writeFileSync(
        path.join(codeDir, 'index.mjs'),
        'export const handler = async () => "reached";',
      );
      try {
        const { environment, initError } = await ExecutionEnvironment.start(
          testEnvironmentSpec(codeDir, { functionName: 'private' }),
          { sandbox: 'bwrap', cgroups: undefined },
        );
        expect(initError).toBeUndefined();
        expect((await environment.invoke('{}', 'reach')).payload).toBe('"reached"');
        await environment.destroy('reclaimed');
        const acl = execFileSync('getfacl', ['-p', root]).toString();
        expect(acl).toMatch(new RegExp(`user:${SANDBOX_HOST_USER}:--x`));
        expect(acl).toMatch(/other::---/);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});

describe('the seccomp filter, called from inside the sandbox', () => {
  const arch = hostSeccompArchitecture()!;
  let errnos: Record<string, number>;

  beforeAll(async () => {
    const calls = DENIED_SYSCALLS.flatMap((call) => {
      const nr = SYSCALL_NUMBERS[call.name]![arch];
      return nr === undefined ? [] : [{ name: call.name, nr }];
    });
    // Zero arguments everywhere: harmless even if a call got through (and it would then fail with EFAULT or EINVAL, not the filter's errno).
    const source = [
      'import ctypes',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'libc.syscall.restype = ctypes.c_long',
      'def handler(event, context):',
      '    out = {}',
      '    for call in event["calls"]:',
      '        ctypes.set_errno(0)',
      '        result = libc.syscall(ctypes.c_long(call["nr"]), 0, 0, 0, 0, 0, 0)',
      '        out[call["name"]] = ctypes.get_errno() if result == -1 else 0',
      '    return out',
    ].join('\n');
    await harness.service.createFunction(WS, {
      FunctionName: 'syscalls',
      Runtime: 'python3.11',
      Handler: 'index.handler',
      Role: ROLE,
      MemorySize: 256,
      Timeout: 10,
      Code: { Files: [{ path: 'index.py', content: source }] },
    });
    const result = await harness.service.invoke(WS, 'syscalls', json({ calls }));
    errnos = JSON.parse(result.payload) as Record<string, number>;
  });

  it.each(
    DENIED_SYSCALLS.filter(
      (call) => SYSCALL_NUMBERS[call.name]![hostSeccompArchitecture()!] !== undefined,
    ).map((call) => [call.name, call.action] as const),
  )('denies %s with %s', (name, action) => {
    expect(errnos[name]).toBe(action === 'EPERM' ? 1 : 38);
  });

  it('refuses clone with namespace flags but lets programs fork and start threads', async () => {
    const result = await runNode(
      'namespaces',
      `import { execFileSync, spawnSync } from 'node:child_process';
       export const handler = async () => ({ netns: spawnSync('unshare', ['-n', 'true']).status, userns: spawnSync('unshare', ['-U', 'true']).status, child: execFileSync('echo', ['forked']).toString().trim() });`,
    );
    const outcome = JSON.parse(result.payload) as { netns: number; userns: number; child: string };
    expect(outcome.netns).not.toBe(0);
    expect(outcome.userns).not.toBe(0);
    expect(outcome.child).toBe('forked');
  });
});

describe('a control channel that trusts nothing', () => {
  const forge = (line: string) => `fs.writeSync(3, ${JSON.stringify(line)});`;

  it('ends the environment, and only it, when a handler forges {"type":"ready"} as its answer', async () => {
    const result = await runNode(
      'forged-ready',
      `import fs from 'node:fs'; export const handler = async () => { ${forge('{"type":"ready"}\n')} for (;;) {} };`,
      { Timeout: 30 },
    );
    expect(result.record.errorType).toBe('Runtime.ExitError');
    expect(JSON.parse(result.payload).errorMessage).toMatch(
      /broke the control protocol \(a "ready" message/,
    );
    // Ended at once, not at its 30 s timeout: its processes are gone and nothing of it is left in the pool.
    expect(result.record.report!.durationMs).toBeLessThan(30_000);
    expect(leftovers('forged-ready')).toEqual({ environments: 0, processes: [] });
    await stillServesOthers();
  });

  it.each([
    ['null', 'null\n'],
    ['a number', '1\n'],
    ['not JSON', '{"type":\n'],
    [
      'an answer for another request',
      '{"type":"result","requestId":"someone-else","payload":"1"}\n',
    ],
    [
      'a second answer',
      '{"type":"error","requestId":"REQUEST","error":{"errorType":"x","errorMessage":"y"},"fatal":false}\n{"type":"result","requestId":"REQUEST","payload":"2"}\n',
    ],
  ])(
    'ends the environment on %s written to the control channel during an invocation',
    async (label, line) => {
      const name = `forged-${label.replace(/\W+/g, '-')}`;
      const write = `fs.writeSync(3, ${JSON.stringify(line)}.replaceAll('REQUEST', context.awsRequestId));`;
      const result = await runNode(
        name,
        `import fs from 'node:fs'; export const handler = async (event, context) => { ${write} await new Promise((r) => setTimeout(r, 2000)); return 'late'; };`,
      );
      expect(result.record.errorType).toBe('Runtime.ExitError');
      expect(leftovers(name)).toEqual({ environments: 0, processes: [] });
    },
  );

  it('leaks nothing when INIT writes garbage to the control channel, however often', async () => {
    const before = harness.pool.usage();
    for (let i = 0; i < 15; i++) {
      const result = await runNode(
        `init-null-${i}`,
        `import fs from 'node:fs'; ${forge('null\n')} await new Promise((r) => setTimeout(r, 5000)); export const handler = async () => 'never';`,
      );
      expect(result.record.errorType).toBe('Runtime.ExitError');
    }
    const after = harness.pool.usage();
    expect(after.byWorkspace.get(WS)?.environments ?? 0).toBe(
      before.byWorkspace.get(WS)?.environments ?? 0,
    );
    expect(after.lingering).toBe(0);
    for (let i = 0; i < 15; i++) expect(leftovers(`init-null-${i}`).environments).toBe(0);
    await stillServesOthers();
  });

  it('stops reading a control line that never ends, at its limit, and ends the environment', async () => {
    const result = await runNode(
      'flood-control',
      `import fs from 'node:fs';
       export const handler = async () => { const chunk = Buffer.alloc(1024 * 1024, 0x61); let sent = 0;
         while (sent < 32 * 1024 * 1024) { try { sent += fs.writeSync(3, chunk); } catch (e) { if (e.code !== 'EAGAIN') return { sent, error: e.code }; await new Promise((r) => setTimeout(r, 1)); } }
         return { sent }; };`,
      { MemorySize: 1769, Timeout: 20 },
    );
    expect(result.record.errorType).toBe('Runtime.ExitError');
    expect(JSON.parse(result.payload).errorMessage, result.payload).toContain(
      `longer than ${MAX_CONTROL_LINE_BYTES} bytes`,
    );
    expect(leftovers('flood-control')).toEqual({ environments: 0, processes: [] });
    await stillServesOthers();
  });

  it('still answers a response over 6 MB as Function.ResponseSizeTooLarge, not a protocol violation', async () => {
    const result = await runNode(
      'big-response',
      `export const handler = async () => '"'.repeat(7 * 1024 * 1024);`,
      { MemorySize: 1024 },
    );
    expect(result.record.errorType).toBe('Function.ResponseSizeTooLarge');
    expect(leftovers('big-response').environments).toBe(1);
  });
});

describe('nothing escapes the caps', () => {
  it('keeps no cgroup of an environment that is gone', async () => {
    await harness.pool.sweep();
    const inUse = environmentGroupsInUse();
    const live = [...harness.pool.usage().byWorkspace.values()].reduce(
      (total, w) => total + w.environments,
      0,
    );
    expect(inUse.size).toBeGreaterThanOrEqual(live);
    expect(harness.pool.usage().lingering).toBe(0);
  });
});

function readSysctl(name: string): string {
  try {
    return readFileSync(`/proc/sys/${name}`, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'unreadable';
  }
}

function safeReadlink(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}
