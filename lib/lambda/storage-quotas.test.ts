import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEphemeralLambdaService } from './ephemeral-service';
import { MAX_HISTORY_PAGE_BYTES, MAX_HISTORY_PAGE_SIZE } from './function-repository';
import { HISTORY_FIELD_BYTES } from './quotas';
import { watchEventLoop } from './testing/event-loop';
import { json, nodeFunction, ROLE, TEST_LIMITS } from './testing/service-harness';

const MB = 1024 * 1024;
/** Small quotas, so each attack reaches them quickly. */
const QUOTAS = {
  codeStorageBytesPerWorkspace: 8 * MB,
  unzippedStorageBytesPerWorkspace: 100 * MB,
  asyncEventsPerWorkspace: 5,
  asyncQueueBytesPerWorkspace: 2 * MB,
  asyncEventsPerServer: 8,
  asyncQueueBytesPerServer: 64 * MB,
  collectionGraceMs: 0,
};
const HISTORY_RECORDS = 30;

let harness: Awaited<ReturnType<typeof createEphemeralLambdaService>>;
beforeAll(async () => {
  harness = await createEphemeralLambdaService({
    cgroupName: 'course-runner-tests',
    limits: TEST_LIMITS,
    quotas: QUOTAS,
    historyRecordsPerWorkspace: HISTORY_RECORDS,
  });
});
afterAll(() => harness.dispose());

const ECHO = 'export const handler = async (event) => ({ got: event });';
const SLEEP =
  'export const handler = async (event) => { await new Promise((r) => setTimeout(r, event.ms ?? 1000)); return "slept"; };';

/** A function whose package is `mb` MB of zeros beside its handler: a zip of a few tens of KB. */
function bombFunction(name: string, mb: number, extra = 0) {
  // A fixed time, so the same files make the same zip (and the same content address).
  const zip = zipSync(
    { 'index.mjs': new TextEncoder().encode(ECHO), 'zeros.bin': new Uint8Array(mb * MB + extra) },
    { mtime: new Date(2000, 0, 1) },
  );
  return {
    FunctionName: name,
    Runtime: 'nodejs24.x',
    Handler: 'index.handler',
    Role: ROLE,
    Code: { ZipFile: Buffer.from(zip).toString('base64') },
  };
}

/** A zip whose last entry declares `declaredMb` MB unzipped (its data is 1 MB): what a bomb's headers say, built quickly. */
function declaringZip(declaredMb: number): string {
  const zip = zipSync({
    'index.mjs': new TextEncoder().encode(ECHO),
    'zeros.bin': new Uint8Array(MB),
  });
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let at = view.getUint32(zip.length - 22 + 16, true);
  at +=
    46 +
    view.getUint16(at + 28, true) +
    view.getUint16(at + 30, true) +
    view.getUint16(at + 32, true);
  view.setUint32(at + 24, declaredMb * MB, true);
  return Buffer.from(zip).toString('base64');
}

const listed = async (folder: string) =>
  (await readdir(path.join(harness.dataDir, folder)).catch(() => [] as string[])).filter(
    (name) => !name.startsWith('.tmp-'),
  );

describe('storage: a zip bomb', () => {
  it('is refused from its headers when it unzips past 250 MB, and nothing is written', async () => {
    const before = await listed('code');
    await expect(
      harness.service.createFunction('bomber', {
        ...bombFunction('huge', 0),
        Code: { ZipFile: declaringZip(251) },
      }),
    ).rejects.toMatchObject({
      type: 'InvalidParameterValueException',
      status: 400,
      message: expect.stringMatching(
        /^Could not unzip uploaded file: The package unzips to more than 250 MB/,
      ),
    });
    expect(await listed('code')).toEqual(before);
    await expect(harness.service.getFunction('bomber', 'huge')).rejects.toMatchObject({
      status: 404,
    });
  });

  it('within the limits is extracted while the server goes on serving another learner', async () => {
    await harness.service.createFunction('other', nodeFunction('echo', ECHO));
    await harness.service.invoke('other', 'echo', json({ warm: true }));
    const bomb = bombFunction('zeros', 64);
    const { result, longestGapMs } = await watchEventLoop(async () => {
      const upload = harness.service.createFunction('bomber', bomb);
      const served = await harness.service.invoke('other', 'echo', json({ n: 1 }));
      return { created: await upload, served };
    });
    expect(result.created.CodeSize).toBeLessThan(128 * 1024);
    expect(JSON.parse(result.served.payload)).toEqual({ got: { n: 1 } });
    // Extracted in one go, 64 MB holds the loop for 250 ms or more; streamed, no step comes near.
    expect(longestGapMs).toBeLessThan(100);
  });
});

describe('storage: the workspace quota', () => {
  it('counts a package shared by two functions once', async () => {
    await harness.service.createFunction('bomber', bombFunction('zeros-again', 64));
  });

  it('refuses what would pass it with CodeStorageExceededException, leaving nothing half-written', async () => {
    const code = await listed('code');
    const zips = await listed('zips');
    await expect(
      harness.service.createFunction('bomber', bombFunction('one-too-many', 64, 1)),
    ).rejects.toMatchObject({
      type: 'CodeStorageExceededException',
      status: 400,
      message: expect.stringMatching(
        /quota exceeded: .* the course allows 8 MB zipped and 100 MB unzipped per workspace/,
      ),
    });
    await expect(
      harness.service.publishLayerVersion('bomber', {
        LayerName: 'big',
        Content: { ZipFile: bombFunction('x', 40).Code.ZipFile },
      }),
    ).rejects.toMatchObject({ type: 'CodeStorageExceededException' });
    expect(await listed('code')).toEqual(code);
    expect(await listed('zips')).toEqual(zips);
    await expect(harness.service.getFunction('bomber', 'one-too-many')).rejects.toMatchObject({
      status: 404,
    });
    // Other workspaces have quotas of their own.
    await harness.service.createFunction('someone-else', bombFunction('zeros', 64, 1));
  });

  it('has room again once a function is deleted', async () => {
    await harness.service.deleteFunction('bomber', 'zeros');
    await harness.service.deleteFunction('bomber', 'zeros-again');
    await harness.service.createFunction('bomber', bombFunction('one-too-many', 64, 1));
  });
});

describe('storage: collection', () => {
  const WS = 'collector';
  /** Code of its own: a package shared with another test's function would rightly stay. */
  const OWN = 'export const handler = async () => "collector";';
  async function layered(name: string, layerArn: string, source = OWN) {
    await harness.service.createFunction(WS, nodeFunction(name, source, { Layers: [layerArn] }));
    return (await harness.repository.getFunction(WS, name))!;
  }

  it('a DryRun does not materialise the layers', async () => {
    const layer = await harness.service.publishLayerVersion(WS, {
      LayerName: 'lib',
      Content: { Files: [{ path: 'nodejs/lib.js', content: 'module.exports = 1;' }] },
    });
    const fn = await layered('dry', layer.LayerVersionArn);
    const layerCode = (await harness.repository.getLayerVersion(WS, 'lib', 1))!.codeId;
    const optDir = harness.codeStore.optDir(harness.codeStore.optId([layerCode])!);
    expect(
      (await harness.service.invoke(WS, 'dry', json({}), { invocationType: 'DryRun' })).statusCode,
    ).toBe(204);
    expect(existsSync(optDir)).toBe(false);
    await harness.service.invoke(WS, 'dry', json({}));
    expect(existsSync(optDir)).toBe(true);
    expect(existsSync(harness.codeStore.codeDir(fn.codeId))).toBe(true);
  });

  it('deleting a function removes its package, its zip and its merged /opt folder; the layer it used stays', async () => {
    const fn = (await harness.repository.getFunction(WS, 'dry'))!;
    const layerCode = (await harness.repository.getLayerVersion(WS, 'lib', 1))!.codeId;
    const optDir = harness.codeStore.optDir(harness.codeStore.optId([layerCode])!);
    await harness.service.deleteFunction(WS, 'dry');
    await harness.service.drain();
    expect(existsSync(harness.codeStore.codeDir(fn.codeId))).toBe(false);
    expect(existsSync(harness.codeStore.zipFile(fn.codeId))).toBe(false);
    expect(existsSync(optDir)).toBe(false);
    expect(existsSync(harness.codeStore.codeDir(layerCode))).toBe(true);
    expect(existsSync(harness.codeStore.zipFile(layerCode))).toBe(true);
  });

  it('replacing code removes the old package once no invocation under way still uses it, and keeps shared ones', async () => {
    await harness.service.createFunction(WS, nodeFunction('sleepy', SLEEP));
    await harness.service.createFunction(WS, nodeFunction('twin', `${OWN} // twin`));
    await harness.service.createFunction(WS, nodeFunction('twin-2', `${OWN} // twin`));
    const old = (await harness.repository.getFunction(WS, 'sleepy'))!.codeId;
    const running = harness.service.invoke(WS, 'sleepy', json({ ms: 700 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await harness.service.updateFunctionCode(WS, 'sleepy', {
      Files: [{ path: 'index.mjs', content: `${OWN} // replaced` }],
    });
    await harness.service.drain();
    // The invocation that started on the old package still has it.
    expect(existsSync(harness.codeStore.codeDir(old))).toBe(true);
    expect(JSON.parse((await running).payload)).toBe('slept');
    await harness.service.collectStorage();
    expect(existsSync(harness.codeStore.codeDir(old))).toBe(false);

    const shared = (await harness.repository.getFunction(WS, 'twin'))!.codeId;
    await harness.service.deleteFunction(WS, 'twin');
    await harness.service.drain();
    expect(existsSync(harness.codeStore.codeDir(shared))).toBe(true);
  });
});

describe('history', () => {
  const WS = 'historian';

  it('keeps at most the workspace cap across all its functions, with bounded bytes', async () => {
    const big = 'export const handler = async () => ({ text: "y".repeat(100000) });';
    for (const name of ['h1', 'h2', 'h3'])
      await harness.service.createFunction(WS, nodeFunction(name, big));
    for (let round = 0; round < 15; round++) {
      await Promise.all(
        ['h1', 'h2', 'h3'].map((name) => harness.service.invoke(WS, name, json({ round }))),
      );
    }
    await harness.service.drain();
    const stored = await sql<{
      records: number;
      bytes: number;
    }>`select count(*) as records, sum(length(record)) as bytes from lambda_invocations where workspace_id = ${WS}`.execute(
      harness.db,
    );
    const { records, bytes } = stored.rows[0]!;
    expect(records).toBe(HISTORY_RECORDS);
    // Each record keeps at most HISTORY_FIELD_BYTES of response and of log, plus its report.
    expect(bytes).toBeLessThanOrEqual(HISTORY_RECORDS * (2 * HISTORY_FIELD_BYTES + 4096));
  });

  it('stores a 6 MB response truncated with a marker, while the invoke returns all of it', async () => {
    await harness.service.createFunction(
      WS,
      nodeFunction('six', 'export const handler = async () => "z".repeat(6 * 1024 * 1024 - 16);', {
        MemorySize: 512,
      }),
    );
    const result = await harness.service.invoke(WS, 'six', json({}));
    expect(result.payload).toHaveLength(6 * 1024 * 1024 - 14);
    const [stored] = (await harness.service.invocationHistory(WS, 'six')).invocations;
    expect(stored!.requestId).toBe(result.record.requestId);
    expect(stored!.payload).toMatch(/^"z{100}/);
    expect(stored!.payload).toMatch(
      /\n\[truncated for history: 6,291,442 bytes; the invoke returned all of it\]$/,
    );
    expect(Buffer.byteLength(stored!.payload!)).toBeLessThan(HISTORY_FIELD_BYTES + 100);
  });

  it('pages the history API, each page bounded in records and bytes', async () => {
    const first = await harness.service.invocationHistory(WS, 'h1', { limit: '4' });
    expect(first.invocations).toHaveLength(4);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await harness.service.invocationHistory(WS, 'h1', {
      limit: '4',
      cursor: first.nextCursor,
    });
    expect(second.invocations.map((r) => r.requestId)).not.toContain(
      first.invocations[0]!.requestId,
    );
    expect(second.invocations[0]!.receivedAt <= first.invocations[3]!.receivedAt).toBe(true);
    const whole = await harness.service.invocationHistory(WS, 'h1', {
      limit: String(MAX_HISTORY_PAGE_SIZE),
    });
    expect(JSON.stringify(whole).length).toBeLessThan(MAX_HISTORY_PAGE_BYTES + 64 * 1024);
    await expect(
      harness.service.invocationHistory(WS, 'h1', { limit: String(MAX_HISTORY_PAGE_SIZE + 1) }),
    ).rejects.toMatchObject({ type: 'InvalidParameterValueException', status: 400 });
    await expect(
      harness.service.invocationHistory(WS, 'h1', { cursor: 'not-a-cursor' }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^cursor: /) });
  });
});

describe('the asynchronous Event queue', () => {
  async function flood(workspaceId: string, count: number, payload: Uint8Array) {
    return Promise.allSettled(
      Array.from({ length: count }, () =>
        harness.service.invoke(workspaceId, 'sleeper', payload, { invocationType: 'Event' }),
      ),
    );
  }
  const rejections = (settled: PromiseSettledResult<unknown>[]) =>
    settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));

  it('refuses events past the workspace cap with 429 CallerRateLimitExceeded, and past the server cap too; nothing beyond is queued', async () => {
    for (const ws of ['flooder', 'second'])
      await harness.service.createFunction(ws, nodeFunction('sleeper', SLEEP));
    const flooded = await flood('flooder', 12, json({ ms: 1500 }));
    expect(flooded.filter((s) => s.status === 'fulfilled')).toHaveLength(
      QUOTAS.asyncEventsPerWorkspace,
    );
    expect(rejections(flooded)).toHaveLength(12 - QUOTAS.asyncEventsPerWorkspace);
    for (const error of rejections(flooded))
      expect(error).toMatchObject({
        type: 'TooManyRequestsException',
        status: 429,
        reason: 'CallerRateLimitExceeded',
      });

    // The server's own bound: 8 in all, so the second workspace gets the 3 left.
    const second = await flood('second', 6, json({ ms: 1500 }));
    expect(second.filter((s) => s.status === 'fulfilled')).toHaveLength(
      QUOTAS.asyncEventsPerServer - QUOTAS.asyncEventsPerWorkspace,
    );
    for (const error of rejections(second))
      expect(error).toMatchObject({
        type: 'TooManyRequestsException',
        status: 429,
        reason: 'ConcurrentInvocationLimitExceeded',
      });

    const history = await harness.service.invocationHistory('flooder', 'sleeper', { limit: '50' });
    expect(history.invocations).toHaveLength(QUOTAS.asyncEventsPerWorkspace);
    await harness.service.drain();
    // Once they have run, the queue has room again.
    expect(
      (
        await harness.service.invoke('flooder', 'sleeper', json({ ms: 1 }), {
          invocationType: 'Event',
        })
      ).statusCode,
    ).toBe(202);
  });

  it('counts queued payload bytes against the workspace', async () => {
    const almostOneMb = json({ ms: 1000, pad: 'p'.repeat(900 * 1024) });
    const flooded = await flood('flooder', 4, almostOneMb);
    expect(flooded.filter((s) => s.status === 'fulfilled')).toHaveLength(2);
    for (const error of rejections(flooded))
      expect(error).toMatchObject({
        status: 429,
        reason: 'CallerRateLimitExceeded',
        message: expect.stringMatching(/2 MB/),
      });
    await harness.service.drain();
  });
});
