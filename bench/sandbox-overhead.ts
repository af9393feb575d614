/**
 * `npm run bench:sandbox`: what isolation costs on the two paths it touches,
 * small enough to run on an older commit for a before-and-after in one session
 * (docs/performance.md, "After the sandbox hardening"). Prints p50 and p95 (ms):
 * cold starts end to end through the service (a new environment each time, 30
 * per runtime at 1,769 MB), warm calls through the service (500), and warm
 * calls straight to one environment, the runner alone (1,000).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestService, json } from '../lib/lambda/testing/service-harness';
import { openCgroupHierarchy } from '../lib/runner/cgroup';
import { ExecutionEnvironment } from '../lib/runner/execution-environment';

const NODE_HANDLER = 'export const handler = async (event) => ({ id: event.id ?? null });';
const PYTHON_HANDLER = 'def handler(event, context):\n    return {"id": event.get("id")}\n';
const ROLE = 'arn:aws:iam::123456789012:role/bench';

function summary(what: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);
  return `| ${what} | ${samples.length} | ${at(50)} | ${at(95)} |`;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const rows: string[] = [];
const harness = await createTestService({
  maxEnvironments: 48,
  maxMemoryMb: 1_000_000,
  maxEnvironmentsPerWorkspace: 48,
  maxMemoryMbPerWorkspace: 1_000_000,
  idleTtlMs: 600_000,
});
const { service } = harness;
const WS = 'bench';
await service.createFunction(WS, {
  FunctionName: 'node',
  Runtime: 'nodejs24.x',
  Handler: 'index.handler',
  Role: ROLE,
  MemorySize: 1769,
  Code: { Files: [{ path: 'index.mjs', content: NODE_HANDLER }] },
});
await service.createFunction(WS, {
  FunctionName: 'python',
  Runtime: 'python3.11',
  Handler: 'index.handler',
  Role: ROLE,
  MemorySize: 1769,
  Code: { Files: [{ path: 'index.py', content: PYTHON_HANDLER }] },
});
for (const name of ['node', 'python']) {
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) {
    await service.resetEnvironments(WS, name);
    samples.push(
      await timed(async () => {
        const result = await service.invoke(WS, name, json({}));
        if (!result.record.report?.coldStart)
          throw new Error(`expected a cold start: ${result.payload}`);
      }),
    );
  }
  rows.push(summary(`cold start, ${name}, end to end`, samples));
}
await service.invoke(WS, 'node', json({}));
const warm: number[] = [];
for (let i = 0; i < 500; i++)
  warm.push(await timed(() => service.invoke(WS, 'node', json({ id: i }))));
rows.push(summary('warm call through the service, node', warm));
await harness.dispose();

const codeDir = mkdtempSync(path.join(tmpdir(), 'bench-sandbox-'));
chmodSync(codeDir, 0o755);
writeFileSync(path.join(codeDir, 'index.mjs'), NODE_HANDLER);
// The specification is written out rather than taken from lib/runner/testing: this script must run unchanged on commits older than that helper.
const { environment, initError } = await ExecutionEnvironment.start(
  {
    functionName: 'runner',
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:runner',
    version: '$LATEST',
    runtime: 'nodejs24.x',
    handler: 'index.handler',
    memoryMb: 1769,
    timeoutMs: 3000,
    environment: {},
    ephemeralStorageMb: 512,
    codeDir,
    optDir: undefined,
    region: 'us-east-1',
    initializationType: 'on-demand',
    credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench', sessionToken: 'bench' },
  },
  { sandbox: 'bwrap', cgroups: openCgroupHierarchy('course-runner-bench') },
);
if (initError) throw new Error(`INIT failed: ${initError.errorMessage}`);
const direct: number[] = [];
for (let i = 0; i < 1000; i++)
  direct.push(await timed(() => environment.invoke(JSON.stringify({ id: i }), `bench-${i}`)));
rows.push(summary('warm call straight to one environment (runner only)', direct));
await environment.destroy('reclaimed');
rmSync(codeDir, { recursive: true, force: true });

console.log(['| what | n | p50 | p95 |', '|---|---:|---:|---:|', ...rows].join('\n'));
