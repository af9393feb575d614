/**
 * `npm run bench:runner`: latency and throughput of the function runner, with
 * isolation on, beside other ways of running a handler locally. Prints a table
 * of p50 and p95 (ms). Not part of `npm test`; figures go in docs/performance.md.
 *
 * Environment: BENCH_SOAK_S (default 60) sets the 32-caller soak's length.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createTestService, json } from '../lib/lambda/testing/service-harness';
import { residentBytes, processTree } from '../lib/runner/process-memory';

const SOAK_SECONDS = Number(process.env.BENCH_SOAK_S ?? 60);
const MEMORY_MB = 1769;
const NODE_HANDLER = 'export const handler = async (event) => ({ id: event.id ?? null });';
const PYTHON_HANDLER = 'def handler(event, context):\n    return {"id": event.get("id")}\n';

interface Row {
  what: string;
  samples: number[];
  note?: string;
}
const rows: Row[] = [];

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await fn();
  return [performance.now() - started, value];
}

async function repeat(count: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push((await time(() => fn(i)))[0]);
  return samples;
}

const harness = await createTestService({
  maxEnvironments: 48,
  maxMemoryMb: 1_000_000,
  maxEnvironmentsPerWorkspace: 48,
  maxMemoryMbPerWorkspace: 1_000_000,
  idleTtlMs: 600_000,
});
const { service } = harness;
const WS = 'bench';
console.error(`sandbox: ${harness.pool.sandbox}, cgroups: ${harness.cgroupsAvailable}`);

await service.createFunction(WS, {
  FunctionName: 'node',
  Runtime: 'nodejs24.x',
  Handler: 'index.handler',
  Role: 'arn:aws:iam::123456789012:role/bench',
  MemorySize: MEMORY_MB,
  Code: { Files: [{ path: 'index.mjs', content: NODE_HANDLER }] },
});
await service.createFunction(WS, {
  FunctionName: 'python',
  Runtime: 'python3.11',
  Handler: 'index.handler',
  Role: 'arn:aws:iam::123456789012:role/bench',
  MemorySize: MEMORY_MB,
  Code: { Files: [{ path: 'index.py', content: PYTHON_HANDLER }] },
});

// Cold: a new environment each time, measured around the whole invocation.
for (const name of ['node', 'python']) {
  const samples = await repeat(30, async () => {
    await service.resetEnvironments(WS, name);
    const result = await service.invoke(WS, name, json({}));
    if (!result.record.report?.coldStart) throw new Error('expected a cold start');
  });
  rows.push({ what: `cold invocation, ${name}, end to end`, samples });
}

// Warm, in-process: the service called directly.
await service.invoke(WS, 'node', json({}));
rows.push({
  what: 'warm invocation, node, in-process',
  samples: await repeat(1000, (i) => service.invoke(WS, 'node', json({ id: i }))),
});
await service.invoke(WS, 'python', json({}));
rows.push({
  what: 'warm invocation, python, in-process',
  samples: await repeat(1000, (i) => service.invoke(WS, 'python', json({ id: i }))),
});

// Warm over HTTP: the Lambda API, signed by the real SDK.
const endpoint = await harness.serveLambdaApi();
const keys = await harness.repository.credentialsFor(WS, new Date());
const client = new LambdaClient({
  region: 'us-east-1',
  endpoint,
  credentials: keys,
  maxAttempts: 1,
});
await client.send(new InvokeCommand({ FunctionName: 'node', Payload: json({}) }));
rows.push({
  what: 'warm invocation, node, HTTP API via @aws-sdk/client-lambda',
  samples: await repeat(500, (i) =>
    client.send(new InvokeCommand({ FunctionName: 'node', Payload: json({ id: i }) })),
  ),
});

/** `callers` loops invoking for `seconds`; checks every id comes back exactly once. */
async function throughput(
  callers: number,
  seconds: number,
): Promise<{ samples: number[]; perSecond: number }> {
  const deadline = Date.now() + seconds * 1000;
  const samples: number[] = [];
  const seen = new Set<number>();
  let next = 0;
  let duplicates = 0;
  let lost = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (Date.now() < deadline) {
        const id = next++;
        const [ms, result] = await time(() => service.invoke(WS, 'node', json({ id })));
        samples.push(ms);
        const got = (JSON.parse(result.payload) as { id: number }).id;
        if (got !== id) lost++;
        if (seen.has(got)) duplicates++;
        seen.add(got);
      }
    }),
  );
  if (lost > 0 || duplicates > 0 || seen.size !== next)
    throw new Error(`${callers} callers: ${lost} lost, ${duplicates} duplicated of ${next}`);
  return { samples, perSecond: samples.length / seconds };
}
for (const callers of [1, 8, 32]) {
  const { samples, perSecond } = await throughput(callers, 10);
  rows.push({
    what: `throughput, ${callers} concurrent callers, 10 s`,
    samples,
    note: `${perSecond.toFixed(0)} invocations/s, none lost or duplicated`,
  });
}
{
  const { samples, perSecond } = await throughput(32, SOAK_SECONDS);
  rows.push({
    what: `soak, 32 concurrent callers, ${SOAK_SECONDS} s`,
    samples,
    note: `${samples.length} invocations (${perSecond.toFixed(0)}/s), none lost or duplicated`,
  });
}

// Idle memory per environment: resident memory of each warm environment's processes.
const environments = harness.pool.environmentsOf({ workspaceId: WS, functionName: 'node' });
const idle = environments.map(
  (environment) => residentBytes(processTree(environment.pid!)) / (1024 * 1024),
);
rows.push({
  what: `idle memory per node environment (MB, ${idle.length} environments)`,
  samples: idle,
});

await harness.dispose();

// The same handler through other local runners, without isolation.
const peers = path.join(import.meta.dirname, 'peers');
if (!existsSync(path.join(peers, 'node_modules'))) {
  console.error('installing the comparison runners in bench/peers (once)…');
  execFileSync('npm', ['install', '--legacy-peer-deps', '--no-audit', '--no-fund'], {
    cwd: peers,
    stdio: 'inherit',
  });
}
const codeDir = mkdtempSync(path.join(tmpdir(), 'bench-peers-'));
writeFileSync(path.join(codeDir, 'index.mjs'), NODE_HANDLER);
mkdirSync(path.join(codeDir, 'cjs'));
writeFileSync(
  path.join(codeDir, 'cjs', 'index.js'),
  'exports.handler = async (event) => ({ id: event.id ?? null });',
);

const lambdaLocal = (await import(
  path.join(peers, 'node_modules/lambda-local/build/lambdalocal.js')
)) as {
  default?: { execute: (o: object) => Promise<unknown> };
  execute?: (o: object) => Promise<unknown>;
};
const execute = (lambdaLocal.execute ?? lambdaLocal.default!.execute).bind(
  lambdaLocal.default ?? lambdaLocal,
);
await execute({
  event: {},
  lambdaPath: path.join(codeDir, 'cjs', 'index.js'),
  lambdaHandler: 'handler',
  verboseLevel: 0,
  timeoutMs: 3000,
});
rows.push({
  what: 'lambda-local, warm (no isolation)',
  samples: await repeat(500, (i) =>
    execute({
      event: { id: i },
      lambdaPath: path.join(codeDir, 'cjs', 'index.js'),
      lambdaHandler: 'handler',
      verboseLevel: 0,
      timeoutMs: 3000,
    }),
  ),
});

const { default: Lambda } = (await import(
  path.join(peers, 'node_modules/serverless-offline/src/lambda/index.js')
)) as {
  default: new (
    sls: object,
    options: object,
  ) => {
    create(l: object[]): void;
    get(key: string): { setEvent(e: object): void; runHandler(): Promise<unknown> };
    cleanup(): Promise<void>;
  };
};
const offline = new Lambda(
  {
    service: {
      service: 'bench',
      provider: { runtime: 'nodejs20.x', region: 'us-east-1' },
      package: {},
    },
    config: { serverlessPath: codeDir, servicePath: codeDir },
    serviceDir: codeDir,
  },
  { host: '127.0.0.1' },
);
offline.create([
  { functionKey: 'node', functionDefinition: { handler: 'index.handler', name: 'node' } },
]);
const runOffline = async (event: object) => {
  const fn = offline.get('node');
  fn.setEvent(event);
  return fn.runHandler();
};
await runOffline({});
rows.push({
  what: 'serverless-offline/lambda, warm (worker threads, no isolation)',
  samples: await repeat(1000, (i) => runOffline({ id: i })),
});
await offline.cleanup();

const naive = `import('${path.join(codeDir, 'index.mjs')}').then(async (m) => process.stdout.write(JSON.stringify(await m.handler(JSON.parse(process.argv[1])))))`;
rows.push({
  what: 'naive: spawn a node process per call (no isolation)',
  samples: await repeat(
    30,
    (i) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', naive, JSON.stringify({ id: i })], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
      }),
  ),
});
rmSync(codeDir, { recursive: true, force: true });

console.log(`\n| what | n | p50 | p95 | note |\n|---|---:|---:|---:|---|`);
for (const row of rows) {
  console.log(
    `| ${row.what} | ${row.samples.length} | ${percentile(row.samples, 50).toFixed(2)} | ${percentile(row.samples, 95).toFixed(2)} | ${row.note ?? ''} |`,
  );
}
process.exit(0);
