import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCgroupHierarchy } from '../../runner/cgroup';
import { EnvironmentPool, type PoolLimits } from '../../runner/pool';
import { isBubblewrapUsable } from '../../runner/sandbox';
import { openSqliteDatabase, ProgressStore } from '../../store';
import { CodeLinkSigner, CodeStore } from '../code-store';
import { FunctionRepository } from '../function-repository';
import { handleLambdaApiRequest } from '../http-api';
import { LambdaService } from '../lambda-service';

export const TEST_LIMITS: PoolLimits = {
  maxEnvironments: 24,
  maxMemoryMb: 16_384,
  maxEnvironmentsPerWorkspace: 16,
  maxMemoryMbPerWorkspace: 12_288,
  idleTtlMs: 60_000,
};

/** A LambdaService on a temporary data directory, with the real runner and sandbox. */
export async function createTestService(limits: Partial<PoolLimits> = {}, options: { cgroups?: boolean; sandbox?: 'bwrap' | 'none' } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambda-test-'));
  const db = openSqliteDatabase(dataDir);
  await new ProgressStore(db).migrate();
  const cgroups = options.cgroups === false ? undefined : openCgroupHierarchy('course-runner-tests');
  const pool = new EnvironmentPool({ sandbox: options.sandbox ?? (isBubblewrapUsable() ? 'bwrap' : 'none'), cgroups, limits: { ...TEST_LIMITS, ...limits } });
  const repository = new FunctionRepository(db);
  const codeStore = new CodeStore(dataDir);
  const codeLinks = new CodeLinkSigner('test-secret-for-code-links');
  const service = new LambdaService({ repository, codeStore, pool, timeoutCapSeconds: 60 });
  const servers: Server[] = [];
  return {
    service,
    pool,
    repository,
    cgroupsAvailable: cgroups !== undefined,
    /**
     * Serves the Lambda API on 127.0.0.1 behind a plain Node HTTP server, as the
     * app serves it, and returns its endpoint (what SDKs take as `endpoint`).
     */
    async serveLambdaApi(): Promise<string> {
      const deps = { lambda: service, functions: repository, codeStore, codeLinks };
      const server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const request = new Request(`http://${req.headers.host}${req.url}`, {
          method: req.method,
          headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v] as [string, string]])),
          body: ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : Buffer.concat(chunks),
        });
        const response = await handleLambdaApiRequest(request, deps);
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/aws/lambda`;
    },
    async dispose() {
      servers.forEach((server) => server.close());
      await service.drain();
      await pool.dispose();
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const ROLE = 'arn:aws:iam::123456789012:role/test-role';

/** A CreateFunction request for a one-file Node handler. */
export function nodeFunction(name: string, source: string, settings: Record<string, unknown> = {}) {
  return { FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { Files: [{ path: 'index.mjs', content: source }] }, ...settings };
}

export const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/**
 * Runs the same CPU-bound handler at 128 MB and at 1,769 MB (one vCPU) and
 * returns how many times longer the small one took. Duration is the handler's
 * alone: INIT is reported apart.
 */
export async function measureCpuScaling(service: LambdaService, workspaceId: string): Promise<number> {
  const source = 'export const handler = async () => { let x = 0; for (let i = 0; i < 8e6; i++) x = (x + i * i) % 1000003; return x; };';
  await service.createFunction(workspaceId, nodeFunction('cpu-small', source, { MemorySize: 128, Timeout: 30 }));
  await service.createFunction(workspaceId, nodeFunction('cpu-full', source, { MemorySize: 1769, Timeout: 30 }));
  const small = (await service.invoke(workspaceId, 'cpu-small', json({}))).record.report!.durationMs;
  const full = (await service.invoke(workspaceId, 'cpu-full', json({}))).record.report!.durationMs;
  return small / full;
}
