import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { PoolLimits } from '../../runner/pool';
import { CodeLinkSigner } from '../code-store';
import { createEphemeralLambdaService } from '../ephemeral-service';
import { handleLambdaApiRequest, type LambdaApiDependencies } from '../http-api';

export const TEST_LIMITS: PoolLimits = {
  maxEnvironments: 24,
  maxMemoryMb: 16_384,
  maxEnvironmentsPerWorkspace: 16,
  maxMemoryMbPerWorkspace: 12_288,
  idleTtlMs: 60_000,
};

/** A LambdaService on a temporary data directory, with the real runner and sandbox. */
export async function createTestService(
  limits: Partial<PoolLimits> = {},
  options: { cgroups?: boolean; sandbox?: 'bwrap' | 'none' } = {},
) {
  const ephemeral = await createEphemeralLambdaService({
    cgroupName: 'course-runner-tests',
    limits: { ...TEST_LIMITS, ...limits },
    ...options,
  });
  const { service, pool, repository, codeStore } = ephemeral;
  const codeLinks = new CodeLinkSigner('test-secret-for-code-links');
  const servers: Server[] = [];
  return {
    service,
    pool,
    repository,
    codeStore,
    codeLinks,
    cgroupsAvailable: ephemeral.cgroupsAvailable,
    /**
     * Serves the Lambda API on 127.0.0.1 behind a plain Node HTTP server, as the
     * app serves it, and returns its endpoint (what SDKs take as `endpoint`).
     * `extra` adds dependencies such as a rate limiter.
     */
    async serveLambdaApi(extra: Partial<LambdaApiDependencies> = {}): Promise<string> {
      const deps = { lambda: service, functions: repository, codeStore, codeLinks, ...extra };
      const server = createServer(async (req, res) => {
        // Streamed, not buffered, as Next.js hands it over: the handler decides how much to read.
        const hasBody = !['GET', 'HEAD'].includes(req.method ?? 'GET');
        const init: RequestInit & { duplex: 'half' } = {
          method: req.method,
          headers: Object.entries(req.headers).flatMap(([k, v]) =>
            v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v] as [string, string]],
          ),
          body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
          duplex: 'half',
        };
        const response = await handleLambdaApiRequest(
          new Request(`http://${req.headers.host}${req.url}`, init),
          deps,
        );
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/aws/lambda`;
    },
    async dispose() {
      servers.forEach((server) => server.close());
      await ephemeral.dispose();
    },
  };
}

export const ROLE = 'arn:aws:iam::123456789012:role/test-role';

/** A CreateFunction request for a one-file Node handler. */
export function nodeFunction(name: string, source: string, settings: Record<string, unknown> = {}) {
  return {
    FunctionName: name,
    Runtime: 'nodejs24.x',
    Handler: 'index.handler',
    Role: ROLE,
    Code: { Files: [{ path: 'index.mjs', content: source }] },
    ...settings,
  };
}

export const json = (value: unknown) => Buffer.from(JSON.stringify(value));
