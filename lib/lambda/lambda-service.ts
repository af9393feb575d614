import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  CourseBusyError,
  ProvisionedConcurrencyLimitError,
  ThrottleError,
  type FunctionRunner,
  type Invocation,
  type InvocationReport,
  type PoolFunction,
  runtimeProblem,
} from '../runner';
import { createCodeArchive, InvalidCodeArchiveError, measureCodeArchive } from './code-archive';
import {
  hashZip,
  type CodeStore,
  type CollectedStorage,
  type StoredCode,
  type StoredKind,
} from './code-store';
import {
  BLOCKED_RUNTIMES,
  blockedRuntimeMessage,
  functionNameSchema,
  functionSettingsSchema,
  functionSettingsUpdateSchema,
  lambdaTimestamp,
  MAX_ASYNC_PAYLOAD_BYTES,
  MAX_SYNC_PAYLOAD_BYTES,
  RUNTIMES,
  toFunctionConfiguration,
  type FunctionConfiguration,
  type FunctionDefinition,
  type FunctionSettings,
  type Runtime,
} from './definitions';
import {
  codeStorageExceeded,
  invalidParameter,
  LambdaError,
  requestTooLarge,
  resourceConflict,
  resourceNotFound,
  serverBusy,
  tooManyRequests,
} from './errors';
import {
  isHistoryCursor,
  MAX_HISTORY_PAGE_SIZE,
  type CodeReferences,
  type FunctionRepository,
  type LayerVersionDefinition,
} from './function-repository';
import { DEFAULT_LAMBDA_QUOTAS, HISTORY_FIELD_BYTES, type LambdaQuotas } from './quotas';

/** The Region every workspace lives in. */
export const REGION = 'us-east-1';
/** LogType Tail returns the last 4 KB of the log. */
const LOG_TAIL_BYTES = 4096;

export const codeSchema = z.union([
  z
    .object({ ZipFile: z.string().min(1, 'Code.ZipFile must hold the base64-encoded zip') })
    .strict(),
  z
    .object({
      Files: z
        .array(z.object({ path: z.string().min(1), content: z.string() }).strict())
        .min(1)
        .max(50),
    })
    .strict(),
]);

export const createFunctionRequestSchema = functionSettingsSchema.extend({
  FunctionName: functionNameSchema,
  Code: codeSchema,
  Publish: z.boolean().optional(),
  PackageType: z.literal('Zip').optional(),
  Architectures: z
    .array(z.literal('x86_64', { error: 'only x86_64 is available in the course' }))
    .max(1)
    .optional(),
  Tags: z.record(z.string(), z.string()).optional(),
  TracingConfig: z.object({ Mode: z.enum(['Active', 'PassThrough']) }).optional(),
});
export type CreateFunctionRequest = z.input<typeof createFunctionRequestSchema>;

export const updateConfigurationRequestSchema = functionSettingsUpdateSchema.extend({
  RevisionId: z.string().optional(),
});
export const updateCodeRequestSchema = z
  .object({
    ZipFile: z.string().optional(),
    Files: z
      .array(z.object({ path: z.string().min(1), content: z.string() }))
      .max(50)
      .optional(),
    RevisionId: z.string().optional(),
    Publish: z.boolean().optional(),
    Architectures: z.array(z.literal('x86_64')).optional(),
  })
  .refine(
    (v) => (v.ZipFile === undefined) !== (v.Files === undefined),
    'give exactly one of ZipFile or Files',
  );

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

/** Records in a history page when the caller names no limit. */
export const DEFAULT_HISTORY_PAGE_SIZE = 20;

/** The history API's query: how many records, and where the page starts. */
export const invocationHistoryQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_HISTORY_PAGE_SIZE, `limit can be at most ${MAX_HISTORY_PAGE_SIZE}`)
      .default(DEFAULT_HISTORY_PAGE_SIZE),
    cursor: z
      .string()
      .max(512)
      .refine(isHistoryCursor, 'cursor must be the nextCursor of an earlier page')
      .optional(),
  })
  .strict();

/** A page of a function's invocation history, newest first. */
export interface InvocationHistoryPage {
  invocations: InvocationRecord[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  nextCursor: string | undefined;
}

/** A function as a deployment tool describes it: what `deploy` creates or brings up to date. */
export interface FunctionDeployment {
  name: string;
  runtime: string;
  handler: string;
  memoryMb: number;
  timeoutS: number;
  environment: Record<string, string>;
  /** Layer version ARNs, in order. */
  layers: string[];
  /** The deployment package, made once by the caller (hashed to tell whether the code changed, then stored as it is). */
  zip: Uint8Array;
}

/** One invocation as kept in the function's recent history. */
export interface InvocationRecord {
  requestId: string;
  invocationType: 'RequestResponse' | 'Event';
  status: 'queued' | 'succeeded' | 'failed';
  payload: string | undefined;
  errorType: string | undefined;
  log: string | undefined;
  report: InvocationReport | undefined;
  receivedAt: string;
}

export interface InvokeResult {
  statusCode: 200 | 202 | 204;
  payload: string;
  /** "Unhandled" when the function failed: the Invoke API's X-Amz-Function-Error. */
  functionError: 'Unhandled' | undefined;
  /** LogType Tail: the last 4 KB of the log, base64. */
  logResult: string | undefined;
  executedVersion: string;
  /** The whole invocation, for the app's own UI. */
  record: InvocationRecord;
}

export interface LambdaServiceOptions {
  repository: FunctionRepository;
  codeStore: CodeStore;
  pool: FunctionRunner;
  /** The longest timeout the server will run, in seconds, whatever the function asks for. */
  timeoutCapSeconds: number;
  /** @default DEFAULT_LAMBDA_QUOTAS */
  quotas?: Partial<LambdaQuotas>;
  /** Sweeps unreferenced storage this often, besides after each change; off when absent (tests, the content checker). */
  collectionIntervalMs?: number;
  clock?: () => Date;
}

/** Storage a workspace uses: zipped packages, and unzipped packages plus merged /opt folders. */
interface StorageUsage {
  zippedBytes: number;
  unzippedBytes: number;
}

/** A function's code and layers, as storage counts them. */
interface StorageEntry {
  codeId: string;
  zippedBytes: number;
  unzippedBytes: number;
}

/** The Reason a full asynchronous queue answers with: the workspace's own bound, or the server's. */
const ASYNC_QUEUE_FULL_REASON = {
  workspace: 'CallerRateLimitExceeded',
  server: 'ConcurrentInvocationLimitExceeded',
} as const;

/**
 * Lambda as a service: function definitions per workspace, their code and
 * layers, and invocations through the environment pool. The Lambda-compatible
 * HTTP API and the app's JSON API are both thin layers over this.
 */
export class LambdaService {
  private readonly clock: () => Date;
  /** Asynchronous invocations still running. */
  private readonly background = new Set<Promise<void>>();
  /** History writes not yet committed. */
  private readonly writes = new Set<Promise<void>>();
  private readonly quotas: LambdaQuotas;
  /** Storage changes of one workspace run one at a time, so two uploads cannot both pass the quota. */
  private readonly storageLocks = new Map<string, Promise<unknown>>();
  /** Packages and /opt folders in use by invocations under way ("code/<id>", "opt/<id>"): never collected while held. */
  private readonly held = new Map<string, number>();
  /** Event invocations accepted and not yet finished, and their payload bytes, per workspace and in all. */
  private readonly asyncQueue = {
    events: 0,
    bytes: 0,
    byWorkspace: new Map<string, { events: number; bytes: number }>(),
  };
  private collectionTimer: NodeJS.Timeout | undefined;
  private readonly sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LambdaServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.quotas = { ...DEFAULT_LAMBDA_QUOTAS, ...options.quotas };
    if (options.collectionIntervalMs !== undefined) {
      this.sweepTimer = setInterval(
        () =>
          void this.collectStorage().catch((error: unknown) =>
            console.error('Storage collection failed:', error),
          ),
        options.collectionIntervalMs,
      );
      this.sweepTimer.unref();
    }
  }

  /** A 12-digit account id for a workspace, stable and distinct per workspace. */
  accountId(workspaceId: string): string {
    const digits = BigInt(
      `0x${createHash('sha256').update(workspaceId).digest('hex').slice(0, 15)}`,
    )
      .toString()
      .padStart(12, '0');
    return digits.slice(-12);
  }

  functionArn(workspaceId: string, name: string): string {
    return `arn:aws:lambda:${REGION}:${this.accountId(workspaceId)}:function:${name}`;
  }

  /** The execution role the app's own UI gives the functions it creates. */
  defaultRole(workspaceId: string): string {
    return `arn:aws:iam::${this.accountId(workspaceId)}:role/course-lambda-execution`;
  }

  async createFunction(workspaceId: string, input: unknown): Promise<FunctionConfiguration> {
    const { Code, Publish, PackageType, Architectures, Tags, TracingConfig, ...request } = parse(
      createFunctionRequestSchema,
      input,
    );
    checkRuntime(request.Runtime);
    // Publish, PackageType, Architectures, Tags and TracingConfig are accepted for compatibility but not modelled.
    return this.create(workspaceId, request, zipOf(Code));
  }

  /** CreateFunction with settings already validated and the zip already made. */
  private async create(
    workspaceId: string,
    settings: FunctionSettings & { FunctionName: string },
    zip: Uint8Array,
  ): Promise<FunctionConfiguration> {
    if (await this.options.repository.getFunction(workspaceId, settings.FunctionName)) {
      throw resourceConflict(`Function already exist: ${settings.FunctionName}`);
    }
    const layers = await this.layerDefinitions(workspaceId, settings.Layers);
    const definition = await this.withStorageLock(workspaceId, async () => {
      const code = await this.storeCode(workspaceId, zip, {
        functionName: settings.FunctionName,
        layers,
      });
      const now = this.clock();
      const created: FunctionDefinition = {
        ...settings,
        CodeSha256: code.codeSha256,
        CodeSize: code.codeSize,
        codeId: code.codeId,
        unzippedSize: code.unzippedSize,
        RevisionId: randomUUID(),
        LastModified: lambdaTimestamp(now),
        ReservedConcurrentExecutions: undefined,
        ProvisionedConcurrentExecutions: 0,
      };
      if (!(await this.options.repository.insertFunction(workspaceId, created, now))) {
        this.scheduleCollection();
        throw resourceConflict(`Function already exist: ${settings.FunctionName}`);
      }
      return created;
    });
    return this.configurationOf(workspaceId, definition);
  }

  /**
   * Creates the function, or brings its code and settings up to date, as a
   * deployment tool does (each change is a new revision, so the next call is
   * cold). For callers that build functions themselves, such as the code labs:
   * the settings are checked against Lambda's rules, the zip is stored as made.
   */
  async deploy(
    workspaceId: string,
    deployment: FunctionDeployment,
  ): Promise<FunctionConfiguration> {
    const name = parse(functionNameSchema, deployment.name);
    const settings = parse(functionSettingsSchema, {
      Runtime: deployment.runtime,
      Handler: deployment.handler,
      MemorySize: deployment.memoryMb,
      Timeout: deployment.timeoutS,
      Environment: { Variables: deployment.environment },
      Layers: deployment.layers,
      Role: this.defaultRole(workspaceId),
    });
    // Creating on the runtime or moving to it: either way, one Lambda accepts.
    checkRuntime(settings.Runtime);
    const existing = await this.options.repository.getFunction(workspaceId, name);
    if (!existing)
      return this.create(workspaceId, { ...settings, FunctionName: name }, deployment.zip);
    let configuration: FunctionConfiguration | undefined;
    const digest = await hashZip(deployment.zip);
    if (digest.toString('base64') !== existing.CodeSha256)
      configuration = await this.replaceCode(workspaceId, name, deployment.zip, undefined, digest);
    const current = await this.requireFunction(workspaceId, name);
    const changes = {
      Runtime: settings.Runtime,
      Handler: settings.Handler,
      MemorySize: settings.MemorySize,
      Timeout: settings.Timeout,
      Environment: settings.Environment,
      Layers: settings.Layers,
    };
    const changed = (Object.keys(changes) as (keyof typeof changes)[]).some(
      (key) => JSON.stringify(current[key]) !== JSON.stringify(changes[key]),
    );
    if (changed) return this.reconfigure(workspaceId, name, changes, undefined);
    return configuration ?? this.configurationOf(workspaceId, current);
  }

  async getFunction(
    workspaceId: string,
    name: string,
  ): Promise<{ configuration: FunctionConfiguration; definition: FunctionDefinition }> {
    const definition = await this.requireFunction(workspaceId, name);
    return { configuration: await this.configurationOf(workspaceId, definition), definition };
  }

  /** Whether the workspace has a function of that name. */
  async hasFunction(workspaceId: string, name: string): Promise<boolean> {
    return (await this.options.repository.getFunction(workspaceId, name)) !== undefined;
  }

  async listFunctions(workspaceId: string): Promise<FunctionConfiguration[]> {
    const definitions = await this.options.repository.listFunctions(workspaceId);
    return Promise.all(definitions.map((d) => this.configurationOf(workspaceId, d)));
  }

  async updateFunctionCode(
    workspaceId: string,
    name: string,
    input: unknown,
  ): Promise<FunctionConfiguration> {
    const request = parse(updateCodeRequestSchema, input);
    // Past its update block date, a runtime's functions run but their code is frozen (moving them to a supported runtime is allowed).
    const { Runtime } = await this.requireFunction(workspaceId, name);
    if (BLOCKED_RUNTIMES.has(Runtime)) throw invalidParameter(blockedRuntimeMessage(Runtime));
    return this.replaceCode(
      workspaceId,
      name,
      zipOf(
        request.ZipFile !== undefined ? { ZipFile: request.ZipFile } : { Files: request.Files! },
      ),
      request.RevisionId,
    );
  }

  /** UpdateFunctionCode with the zip already made (the lab's Run makes it once, to compare and to store). */
  private async replaceCode(
    workspaceId: string,
    name: string,
    zip: Uint8Array,
    revisionId: string | undefined,
    /** The zip's SHA-256 when the caller has already computed it. */
    digest?: Buffer,
  ): Promise<FunctionConfiguration> {
    const updated = await this.withStorageLock(workspaceId, async () => {
      const current = await this.requireFunction(workspaceId, name);
      checkRevision(current, revisionId);
      const layers = await this.layerDefinitions(workspaceId, current.Layers);
      const code = await this.storeCode(workspaceId, zip, { functionName: name, layers }, digest);
      try {
        return await this.replaceDefinition(workspaceId, current, {
          CodeSha256: code.codeSha256,
          CodeSize: code.codeSize,
          codeId: code.codeId,
          unzippedSize: code.unzippedSize,
        });
      } finally {
        if (current.codeId !== code.codeId) this.release('code', current.codeId);
        this.scheduleCollection();
      }
    });
    return this.configurationOf(workspaceId, updated);
  }

  async updateFunctionConfiguration(
    workspaceId: string,
    name: string,
    input: unknown,
  ): Promise<FunctionConfiguration> {
    const { RevisionId, ...changes } = parse(updateConfigurationRequestSchema, input);
    // Only a runtime the request names: other settings of a function on a blocked runtime may still change.
    if (changes.Runtime !== undefined) checkRuntime(changes.Runtime);
    const defined = Object.fromEntries(
      Object.entries(changes).filter(([, value]) => value !== undefined),
    ) as Partial<FunctionSettings>;
    return this.reconfigure(workspaceId, name, defined, RevisionId);
  }

  /** UpdateFunctionConfiguration with the changes already validated. */
  private async reconfigure(
    workspaceId: string,
    name: string,
    changes: Partial<FunctionSettings>,
    revisionId: string | undefined,
  ): Promise<FunctionConfiguration> {
    if (!changes.Layers) {
      const current = await this.requireFunction(workspaceId, name);
      checkRevision(current, revisionId);
      return this.replace(workspaceId, current, changes);
    }
    const layerArns = changes.Layers;
    // A new layer list is a new merged /opt folder, which counts against the storage quota.
    const updated = await this.withStorageLock(workspaceId, async () => {
      const current = await this.requireFunction(workspaceId, name);
      checkRevision(current, revisionId);
      const layers = await this.layerDefinitions(workspaceId, layerArns);
      await this.assertStorageFits(workspaceId, {
        functionName: name,
        code: await this.storageEntryOf(current),
        layers,
      });
      const replaced = await this.replaceDefinition(workspaceId, current, changes);
      await this.releaseFunctionStorage(workspaceId, current, { keepCode: true });
      this.scheduleCollection();
      return replaced;
    });
    return this.configurationOf(workspaceId, updated);
  }

  async deleteFunction(workspaceId: string, name: string): Promise<void> {
    const existing = await this.options.repository.getFunction(workspaceId, name);
    if (!existing || !(await this.options.repository.deleteFunction(workspaceId, name)))
      throw this.notFound(workspaceId, name);
    await this.options.pool.resetFunction({ workspaceId, functionName: name });
    await this.releaseFunctionStorage(workspaceId, existing);
    this.scheduleCollection();
  }

  async putFunctionConcurrency(
    workspaceId: string,
    name: string,
    input: unknown,
  ): Promise<{ ReservedConcurrentExecutions: number }> {
    const { ReservedConcurrentExecutions } = parse(
      z.object({ ReservedConcurrentExecutions: z.number().int().min(0).max(1000) }),
      input,
    );
    const current = await this.requireFunction(workspaceId, name);
    await this.replace(workspaceId, current, { ReservedConcurrentExecutions }, false);
    return { ReservedConcurrentExecutions };
  }

  async deleteFunctionConcurrency(workspaceId: string, name: string): Promise<void> {
    const current = await this.requireFunction(workspaceId, name);
    await this.replace(workspaceId, current, { ReservedConcurrentExecutions: undefined }, false);
  }

  async putProvisionedConcurrency(
    workspaceId: string,
    name: string,
    qualifier: string | null,
    input: unknown,
  ) {
    const { ProvisionedConcurrentExecutions } = parse(
      z.object({ ProvisionedConcurrentExecutions: z.number().int().min(1).max(10) }),
      input,
    );
    if (qualifier !== null && qualifier !== '$LATEST')
      throw resourceNotFound(
        `Function not found: ${this.functionArn(workspaceId, name)}:${qualifier}`,
      );
    const current = await this.requireFunction(workspaceId, name);
    const updated = await this.replaceDefinition(
      workspaceId,
      current,
      { ProvisionedConcurrentExecutions },
      false,
    );
    const { fn, release } = await this.poolFunction(workspaceId, updated);
    try {
      await this.options.pool.provision(fn, ProvisionedConcurrentExecutions);
    } catch (error) {
      throw translateThrottle(error);
    } finally {
      release();
    }
    return {
      RequestedProvisionedConcurrentExecutions: ProvisionedConcurrentExecutions,
      AvailableProvisionedConcurrentExecutions: ProvisionedConcurrentExecutions,
      AllocatedProvisionedConcurrentExecutions: ProvisionedConcurrentExecutions,
      Status: 'READY',
      LastModified: lambdaTimestamp(this.clock()),
    };
  }

  async publishLayerVersion(workspaceId: string, input: unknown) {
    const request = parse(
      z.object({
        LayerName: functionNameSchema,
        Description: z.string().max(256).default(''),
        Content: codeSchema,
        CompatibleRuntimes: z.array(z.enum(RUNTIMES)).max(15).default([]),
        CompatibleArchitectures: z.array(z.literal('x86_64')).optional(),
        LicenseInfo: z.string().max(512).optional(),
      }),
      input,
    );
    return this.publishLayerZip(
      workspaceId,
      {
        LayerName: request.LayerName,
        Description: request.Description,
        CompatibleRuntimes: request.CompatibleRuntimes,
      },
      zipOf(request.Content),
    );
  }

  /** PublishLayerVersion with the zip already made. */
  async publishLayerZip(
    workspaceId: string,
    layer: Pick<LayerVersionDefinition, 'LayerName' | 'Description' | 'CompatibleRuntimes'>,
    zip: Uint8Array,
  ) {
    const published = await this.withStorageLock(workspaceId, async () => {
      const code = await this.storeCode(workspaceId, zip, { layer: true });
      return this.options.repository.publishLayerVersion(
        workspaceId,
        {
          ...layer,
          CodeSha256: code.codeSha256,
          CodeSize: code.codeSize,
          codeId: code.codeId,
          unzippedSize: code.unzippedSize,
          CreatedDate: lambdaTimestamp(this.clock()),
        },
        this.clock(),
      );
    });
    return this.layerVersionResponse(workspaceId, published);
  }

  async listLayerVersions(workspaceId: string, layerName: string) {
    const versions = await this.options.repository.listLayerVersions(workspaceId, layerName);
    return versions.map((layer) => this.layerVersionResponse(workspaceId, layer));
  }

  /**
   * Invokes a function. RequestResponse waits for the result; Event queues it
   * (202) and keeps the result in the function's recent invocations; DryRun
   * only checks that the call would be allowed (204).
   */
  async invoke(
    workspaceId: string,
    name: string,
    payload: Uint8Array,
    options: {
      invocationType?: InvocationType;
      logType?: 'None' | 'Tail';
      qualifier?: string | null;
    } = {},
  ): Promise<InvokeResult> {
    const invocationType = options.invocationType ?? 'RequestResponse';
    if (options.qualifier && options.qualifier !== '$LATEST')
      throw resourceNotFound(
        `Function not found: ${this.functionArn(workspaceId, name)}:${options.qualifier}`,
      );
    const definition = await this.requireFunction(workspaceId, name);
    const limit = invocationType === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    if (payload.byteLength > limit) {
      throw requestTooLarge(
        `${payload.byteLength} byte payload is too large for the ${invocationType} invocation type (limit ${limit} bytes)`,
      );
    }
    const event = payload.byteLength === 0 ? '{}' : Buffer.from(payload).toString('utf8');
    try {
      JSON.parse(event);
    } catch {
      throw new LambdaError(
        'InvalidRequestContentException',
        400,
        'Could not parse request body into json: the payload must be JSON.',
      );
    }
    const receivedAt = this.clock().toISOString();

    if (invocationType === 'DryRun') {
      // The call would be allowed if its layers exist; nothing is materialised to say so.
      await this.layerDefinitions(workspaceId, definition.Layers);
      return {
        statusCode: 204,
        payload: '',
        functionError: undefined,
        logResult: undefined,
        executedVersion: '$LATEST',
        record: emptyRecord('RequestResponse', receivedAt),
      };
    }
    if (invocationType === 'Event') {
      const dequeue = this.enqueueEvent(workspaceId, payload.byteLength);
      let started = false;
      try {
        const { fn, release } = await this.poolFunction(workspaceId, definition);
        const record: InvocationRecord = {
          ...emptyRecord('Event', receivedAt),
          requestId: randomUUID(),
        };
        try {
          await this.options.repository.saveInvocation(
            workspaceId,
            name,
            record.requestId,
            record,
            this.clock(),
          );
        } catch (error) {
          release();
          throw error;
        }
        this.runInBackground(workspaceId, fn, event, record, () => {
          release();
          dequeue();
        });
        started = true;
        return {
          statusCode: 202,
          payload: '',
          functionError: undefined,
          logResult: undefined,
          executedVersion: '$LATEST',
          record,
        };
      } finally {
        if (!started) dequeue();
      }
    }

    const { fn, release } = await this.poolFunction(workspaceId, definition);
    let invocation: Invocation;
    try {
      invocation = await this.options.pool.invoke(fn, event);
    } catch (error) {
      throw translateThrottle(error);
    } finally {
      release();
    }
    const record = this.recordOf(invocation, 'RequestResponse', receivedAt);
    // The caller has its answer; the history is written beside it, off the hot path.
    this.track(
      this.writes,
      this.options.repository
        .saveInvocation(workspaceId, name, record.requestId, historyRecord(record), this.clock())
        .catch((error: unknown) =>
          console.error(`Could not save invocation ${record.requestId}:`, error),
        ),
    );
    return {
      statusCode: 200,
      payload: record.payload ?? 'null',
      functionError: record.errorType ? 'Unhandled' : undefined,
      logResult: options.logType === 'Tail' ? tail(record.log ?? '') : undefined,
      executedVersion: '$LATEST',
      record,
    };
  }

  /**
   * Deletes the versions of a layer that no function of the workspace uses,
   * all but the newest: what a tool that republishes a layer on every change
   * (the code labs) calls so superseded versions do not fill the storage quota.
   * A version in use is never deleted, so no function loses its /opt.
   */
  async pruneLayerVersions(workspaceId: string, layerName: string): Promise<number> {
    const versions = await this.options.repository.listLayerVersions(workspaceId, layerName);
    if (versions.length <= 1) return 0;
    let deleted = 0;
    await this.withStorageLock(workspaceId, async () => {
      const used = new Set(
        (await this.options.repository.listFunctions(workspaceId)).flatMap(
          (definition) => definition.Layers,
        ),
      );
      const newest = Math.max(...versions.map((v) => v.Version));
      for (const version of versions) {
        if (version.Version === newest || used.has(this.layerVersionArn(workspaceId, version)))
          continue;
        if (
          await this.options.repository.deleteLayerVersion(workspaceId, layerName, version.Version)
        ) {
          this.release('code', version.codeId);
          deleted++;
        }
      }
    });
    this.scheduleCollection();
    return deleted;
  }

  /**
   * A page of the function's invocation history, newest first, asynchronous ones included.
   * `query` is the history API's (limit, cursor), validated here.
   */
  async invocationHistory(
    workspaceId: string,
    name: string,
    query: unknown = {},
  ): Promise<InvocationHistoryPage> {
    const { limit, cursor } = parse(invocationHistoryQuerySchema, query);
    await this.requireFunction(workspaceId, name);
    await Promise.all([...this.writes]);
    const page = await this.options.repository.invocationPage<InvocationRecord>(workspaceId, name, {
      limit,
      cursor,
    });
    return { invocations: page.records, nextCursor: page.nextCursor };
  }

  /**
   * Deletes packages, zips and merged /opt folders that no function or layer version of any
   * workspace references, and that no invocation under way holds, once unreferenced for the
   * grace period. Runs after changes and on a timer, off the requests' path; logs what it removed.
   */
  async collectStorage(): Promise<CollectedStorage> {
    const referencesTakenAt = this.clock().getTime();
    const references = await this.options.repository.codeReferences();
    const referenced = new Set<string>(this.held.keys());
    const layerCode = new Map(
      references.layers.map(({ workspaceId, definition }) => [
        `${workspaceId}/${definition.LayerName}/${definition.Version}`,
        definition.codeId,
      ]),
    );
    for (const { definition } of references.layers) referenced.add(`code/${definition.codeId}`);
    for (const { workspaceId, definition } of references.functions) {
      referenced.add(`code/${definition.codeId}`);
      const codeIds = definition.Layers.map((arn) =>
        layerCode.get(`${workspaceId}/${layerKey(arn)}`),
      );
      if (codeIds.every((id): id is string => id !== undefined)) {
        const optId = this.options.codeStore.optId(codeIds);
        if (optId) referenced.add(`opt/${optId}`);
      }
    }
    const collected = await this.options.codeStore.collect(
      (kind, id) => referenced.has(`${kind === 'zip' ? 'code' : kind}/${id}`),
      { graceMs: this.quotas.collectionGraceMs, referencesTakenAt },
    );
    if (collected.removed.length > 0) {
      const count = (kind: StoredKind) =>
        collected.removed.filter((item) => item.kind === kind).length;
      console.info(
        `Storage collection removed ${count('code')} packages, ${count('zip')} zips and ${count('opt')} merged layer folders that nothing references.`,
      );
    }
    return collected;
  }

  /** Stops the periodic storage sweep (tests and shutdown). */
  close(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.collectionTimer) clearTimeout(this.collectionTimer);
  }

  /** Forces the function's next invocation to start a new environment. */
  async resetEnvironments(workspaceId: string, name: string): Promise<void> {
    await this.requireFunction(workspaceId, name);
    await this.options.pool.resetFunction({ workspaceId, functionName: name });
  }

  /** Waits for queued asynchronous invocations, history writes and a collection under way (tests and shutdown). */
  async drain(): Promise<void> {
    while (this.background.size + this.writes.size > 0)
      await Promise.all([...this.background, ...this.writes]);
  }

  /**
   * Reserves room for one Event invocation of `bytes` in the workspace's and the server's
   * queues, in one synchronous step (so a flood cannot all pass a check made before any is
   * counted), and returns the function that gives the room back. Full: 429, as Lambda
   * answers a caller whose asynchronous requests exceed its quota.
   */
  private enqueueEvent(workspaceId: string, bytes: number): () => void {
    const queue = this.asyncQueue;
    const own = queue.byWorkspace.get(workspaceId) ?? { events: 0, bytes: 0 };
    if (
      own.events + 1 > this.quotas.asyncEventsPerWorkspace ||
      own.bytes + bytes > this.quotas.asyncQueueBytesPerWorkspace
    ) {
      throw tooManyRequests(
        `This workspace already has ${own.events} asynchronous invocations (${formatMb(own.bytes)}) queued or running; it may have ${this.quotas.asyncEventsPerWorkspace} (${formatMb(this.quotas.asyncQueueBytesPerWorkspace)}). Wait for some to finish, then retry.`,
        ASYNC_QUEUE_FULL_REASON.workspace,
      );
    }
    if (
      queue.events + 1 > this.quotas.asyncEventsPerServer ||
      queue.bytes + bytes > this.quotas.asyncQueueBytesPerServer
    ) {
      throw tooManyRequests(
        "The course server's queue of asynchronous invocations is full; retry in a few seconds.",
        ASYNC_QUEUE_FULL_REASON.server,
      );
    }
    own.events += 1;
    own.bytes += bytes;
    queue.byWorkspace.set(workspaceId, own);
    queue.events += 1;
    queue.bytes += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      own.events -= 1;
      own.bytes -= bytes;
      if (own.events === 0) queue.byWorkspace.delete(workspaceId);
      queue.events -= 1;
      queue.bytes -= bytes;
    };
  }

  private runInBackground(
    workspaceId: string,
    fn: PoolFunction,
    event: string,
    queued: InvocationRecord,
    finished: () => void,
  ): void {
    const task = (async () => {
      // Lambda retries throttled asynchronous events; here a few times with a growing wait.
      for (let attempt = 0; ; attempt++) {
        try {
          const invocation = await this.options.pool.invoke(fn, event);
          const record = {
            ...this.recordOf(invocation, 'Event', queued.receivedAt),
            requestId: queued.requestId,
          };
          await this.options.repository.saveInvocation(
            workspaceId,
            fn.functionName,
            queued.requestId,
            historyRecord(record),
            this.clock(),
          );
          return;
        } catch (error) {
          // A throttle or a busy course server passes (not one shutting down): retried, as Lambda retries a throttled event.
          const passing =
            error instanceof ThrottleError ||
            (error instanceof CourseBusyError && error.reason !== 'ShuttingDown');
          if (!passing || attempt >= 4) {
            const record: InvocationRecord = {
              ...queued,
              status: 'failed',
              errorType:
                error instanceof ThrottleError ? 'TooManyRequestsException' : 'ServiceException',
              payload: JSON.stringify({ errorMessage: (error as Error).message }),
            };
            await this.options.repository
              .saveInvocation(workspaceId, fn.functionName, queued.requestId, record, this.clock())
              .catch(() => undefined);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
        }
      }
    })().finally(finished);
    this.track(this.background, task);
  }

  private track(set: Set<Promise<void>>, task: Promise<void>): void {
    set.add(task);
    void task.finally(() => set.delete(task));
  }

  private recordOf(
    invocation: Invocation,
    invocationType: 'RequestResponse' | 'Event',
    receivedAt: string,
  ): InvocationRecord {
    let payload = invocation.payload;
    let errorType = invocation.errorType;
    if (Buffer.byteLength(payload) > MAX_SYNC_PAYLOAD_BYTES) {
      errorType = 'Function.ResponseSizeTooLarge';
      payload = JSON.stringify({
        errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`,
        errorType,
      });
    }
    return {
      requestId: invocation.requestId,
      invocationType,
      status: errorType ? 'failed' : 'succeeded',
      payload,
      errorType,
      log: invocation.log,
      report: invocation.report,
      receivedAt,
    };
  }

  private async replace(
    workspaceId: string,
    current: FunctionDefinition,
    changes: Partial<FunctionDefinition>,
    newRevision = true,
  ): Promise<FunctionConfiguration> {
    return this.configurationOf(
      workspaceId,
      await this.replaceDefinition(workspaceId, current, changes, newRevision),
    );
  }

  /** Code or configuration changes get a new RevisionId, which retires the function's environments. */
  private async replaceDefinition(
    workspaceId: string,
    current: FunctionDefinition,
    changes: Partial<FunctionDefinition>,
    newRevision = true,
  ): Promise<FunctionDefinition> {
    const updated: FunctionDefinition = {
      ...current,
      ...changes,
      ...(newRevision
        ? { RevisionId: randomUUID(), LastModified: lambdaTimestamp(this.clock()) }
        : {}),
    };
    if (
      !(await this.options.repository.replaceFunction(
        workspaceId,
        updated,
        current.RevisionId,
        this.clock(),
      ))
    ) {
      throw resourceConflict(
        'The function was changed by another request at the same time; get it again and retry.',
      );
    }
    return updated;
  }

  /**
   * Stores a zip for a function (replacing its code, with these layers) or as a layer
   * version, if the workspace's storage would stay within its quota. The archive's headers
   * are checked and its declared unzipped size counted before anything is written, so a
   * refused upload leaves nothing behind. Called with the workspace's storage lock held.
   */
  private async storeCode(
    workspaceId: string,
    zip: Uint8Array,
    use: { functionName: string; layers: readonly LayerVersionDefinition[] } | { layer: true },
    knownDigest?: Buffer,
  ): Promise<StoredCode> {
    try {
      if (zip.byteLength === 0)
        throw new InvalidCodeArchiveError('Code.ZipFile is not base64-encoded zip data.');
      const { declaredBytes } = measureCodeArchive(zip);
      const digest = knownDigest ?? (await hashZip(zip));
      const code: StorageEntry = {
        codeId: digest.toString('hex'),
        zippedBytes: zip.byteLength,
        unzippedBytes: declaredBytes,
      };
      await this.assertStorageFits(
        workspaceId,
        'layer' in use
          ? { layer: code }
          : { functionName: use.functionName, code, layers: use.layers },
      );
      return await this.options.codeStore.save(zip, {}, digest);
    } catch (error) {
      if (error instanceof InvalidCodeArchiveError)
        throw invalidParameter(`Could not unzip uploaded file: ${error.message}`);
      throw error;
    }
  }

  /** Refuses a change (a function's code and layers, or a new layer version) that would take the workspace past its storage quota. */
  private async assertStorageFits(
    workspaceId: string,
    change:
      | { functionName: string; code: StorageEntry; layers: readonly LayerVersionDefinition[] }
      | { layer: StorageEntry },
  ): Promise<void> {
    const references = await this.options.repository.codeReferences(workspaceId);
    const before = await this.storageUsage(references, undefined);
    const after = await this.storageUsage(references, change);
    const {
      codeStorageBytesPerWorkspace: zippedQuota,
      unzippedStorageBytesPerWorkspace: unzippedQuota,
    } = this.quotas;
    // A change that frees storage is always allowed, even over a quota lowered since.
    const grows =
      after.zippedBytes > before.zippedBytes || after.unzippedBytes > before.unzippedBytes;
    if (grows && (after.zippedBytes > zippedQuota || after.unzippedBytes > unzippedQuota)) {
      throw codeStorageExceeded(
        `Code storage quota exceeded: this workspace would store ${formatMb(after.zippedBytes)} of zipped code and ${formatMb(after.unzippedBytes)} unzipped; the course allows ${formatMb(zippedQuota)} zipped and ${formatMb(unzippedQuota)} unzipped per workspace. Delete functions or layer versions you no longer need, or make the package smaller.`,
      );
    }
  }

  /**
   * What a workspace stores, with a change applied: each package its functions and layer
   * versions reference counted once, plus each distinct layer list's merged /opt folder.
   */
  private async storageUsage(
    references: CodeReferences,
    change: Parameters<LambdaService['assertStorageFits']>[1] | undefined,
  ): Promise<StorageUsage> {
    const packages = new Map<string, StorageEntry>();
    const optFolders = new Map<string, number>();
    const layerEntries = new Map<string, StorageEntry>();
    for (const { definition } of references.layers) {
      const entry = await this.storageEntryOf(definition);
      packages.set(entry.codeId, entry);
      layerEntries.set(`${definition.LayerName}/${definition.Version}`, entry);
    }
    const countFunction = (code: StorageEntry, layers: (StorageEntry | undefined)[]) => {
      packages.set(code.codeId, code);
      const present = layers.filter((layer): layer is StorageEntry => layer !== undefined);
      const optId = this.options.codeStore.optId(present.map((layer) => layer.codeId));
      if (optId)
        optFolders.set(
          optId,
          present.reduce((sum, layer) => sum + layer.unzippedBytes, 0),
        );
    };
    for (const { definition } of references.functions) {
      if (change && 'functionName' in change && definition.FunctionName === change.functionName)
        continue;
      countFunction(
        await this.storageEntryOf(definition),
        definition.Layers.map((arn) => layerEntries.get(layerKey(arn))),
      );
    }
    if (change && 'functionName' in change) {
      countFunction(
        change.code,
        await Promise.all(change.layers.map((layer) => this.storageEntryOf(layer))),
      );
    } else if (change) {
      packages.set(change.layer.codeId, change.layer);
    }
    let zippedBytes = 0;
    let unzippedBytes = 0;
    for (const entry of packages.values()) {
      zippedBytes += entry.zippedBytes;
      unzippedBytes += entry.unzippedBytes;
    }
    for (const size of optFolders.values()) unzippedBytes += size;
    return { zippedBytes, unzippedBytes };
  }

  private async storageEntryOf(definition: {
    codeId: string;
    CodeSize: number;
    unzippedSize?: number | undefined;
  }): Promise<StorageEntry> {
    return {
      codeId: definition.codeId,
      zippedBytes: definition.CodeSize,
      unzippedBytes:
        definition.unzippedSize ?? (await this.options.codeStore.unzippedSize(definition.codeId)),
    };
  }

  /** Runs a storage change of one workspace after the ones before it. */
  private async withStorageLock<T>(workspaceId: string, change: () => Promise<T>): Promise<T> {
    const before = this.storageLocks.get(workspaceId) ?? Promise.resolve();
    const run = before.then(change, change);
    const settled = run.catch(() => undefined);
    this.storageLocks.set(workspaceId, settled);
    try {
      return await run;
    } finally {
      if (this.storageLocks.get(workspaceId) === settled) this.storageLocks.delete(workspaceId);
    }
  }

  /** Starts the grace period of what a function's old definition referenced (the collection checks whether anything else still does). */
  private async releaseFunctionStorage(
    workspaceId: string,
    old: FunctionDefinition,
    { keepCode = false } = {},
  ): Promise<void> {
    if (!keepCode) this.release('code', old.codeId);
    const layers = await this.layerDefinitions(workspaceId, old.Layers).catch(() => []);
    const optId = this.options.codeStore.optId(layers.map((layer) => layer.codeId));
    if (optId) this.release('opt', optId);
  }

  /** Marks a package or folder as no longer referenced by the change just made, starting its grace period. */
  private release(kind: 'code' | 'opt', id: string): void {
    this.options.codeStore.release(kind, id);
    if (kind === 'code') this.options.codeStore.release('zip', id);
  }

  /** Collects storage after a change: at once when there is no grace period, else once it has passed. */
  private scheduleCollection(): void {
    const collect = () =>
      this.collectStorage().then(
        () => undefined,
        (error: unknown) => console.error('Storage collection failed:', error),
      );
    if (this.quotas.collectionGraceMs === 0) {
      this.track(this.writes, collect());
      return;
    }
    if (this.collectionTimer) return;
    this.collectionTimer = setTimeout(() => {
      this.collectionTimer = undefined;
      this.track(this.writes, collect());
    }, this.quotas.collectionGraceMs);
    this.collectionTimer.unref();
  }

  /** Counts an invocation's package and /opt folder as in use until the returned function is called. */
  private hold(keys: readonly string[]): () => void {
    for (const key of keys) this.held.set(key, (this.held.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const key of keys) {
        const remaining = (this.held.get(key) ?? 1) - 1;
        if (remaining > 0) this.held.set(key, remaining);
        else this.held.delete(key);
      }
    };
  }

  /**
   * The runner's view of a function, with its layers merged into their /opt folder. Its
   * package and folder are held (never collected) until `release` is called, once the
   * invocation that uses them has finished.
   */
  private async poolFunction(
    workspaceId: string,
    definition: FunctionDefinition,
  ): Promise<{ fn: PoolFunction; release: () => void }> {
    const layers = await this.layerDefinitions(workspaceId, definition.Layers);
    const layerCodeIds = layers.map((l) => l.codeId);
    const optId = this.options.codeStore.optId(layerCodeIds);
    const release = this.hold([`code/${definition.codeId}`, ...(optId ? [`opt/${optId}`] : [])]);
    try {
      return { fn: await this.poolFunctionWith(workspaceId, definition, layers), release };
    } catch (error) {
      release();
      throw error;
    }
  }

  private async poolFunctionWith(
    workspaceId: string,
    definition: FunctionDefinition,
    layers: readonly LayerVersionDefinition[],
  ): Promise<PoolFunction> {
    const credentials = await this.options.repository.credentialsFor(workspaceId, this.clock());
    return {
      workspaceId,
      configurationId: `${definition.RevisionId}:${layers.map((l) => l.codeId).join(',')}`,
      reservedConcurrency: definition.ReservedConcurrentExecutions,
      functionName: definition.FunctionName,
      functionArn: this.functionArn(workspaceId, definition.FunctionName),
      version: '$LATEST',
      runtime: definition.Runtime,
      handler: definition.Handler,
      memoryMb: definition.MemorySize,
      timeoutMs: Math.min(definition.Timeout, this.options.timeoutCapSeconds) * 1000,
      environment: definition.Environment.Variables,
      ephemeralStorageMb: definition.EphemeralStorage.Size,
      codeDir: this.options.codeStore.codeDir(definition.codeId),
      optDir: await this.options.codeStore.mergedLayers(layers.map((l) => l.codeId)),
      region: REGION,
      initializationType: 'on-demand',
      // The workspace's own key stands in for the execution role's temporary credentials.
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: 'course-session-token',
      },
    };
  }

  private async layerDefinitions(
    workspaceId: string,
    arns: readonly string[],
  ): Promise<LayerVersionDefinition[]> {
    const account = this.accountId(workspaceId);
    return Promise.all(
      arns.map(async (arn) => {
        const match = /^arn:aws:lambda:[a-z0-9-]+:(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/.exec(arn);
        const layer =
          match && match[1] === account
            ? await this.options.repository.getLayerVersion(
                workspaceId,
                match[2]!,
                Number(match[3]),
              )
            : undefined;
        if (!layer) throw invalidParameter(`Layer version ${arn} does not exist.`);
        return layer;
      }),
    );
  }

  private async configurationOf(
    workspaceId: string,
    definition: FunctionDefinition,
  ): Promise<FunctionConfiguration> {
    const layers = await this.layerDefinitions(workspaceId, definition.Layers).catch(() => []);
    const sizes = new Map(layers.map((l) => [this.layerVersionArn(workspaceId, l), l.CodeSize]));
    return toFunctionConfiguration(
      definition,
      this.functionArn(workspaceId, definition.FunctionName),
      sizes,
    );
  }

  private layerVersionArn(workspaceId: string, layer: LayerVersionDefinition): string {
    return `arn:aws:lambda:${REGION}:${this.accountId(workspaceId)}:layer:${layer.LayerName}:${layer.Version}`;
  }

  private layerVersionResponse(workspaceId: string, layer: LayerVersionDefinition) {
    const arn = this.layerVersionArn(workspaceId, layer);
    return {
      Content: { CodeSha256: layer.CodeSha256, CodeSize: layer.CodeSize },
      LayerArn: arn.replace(/:\d+$/, ''),
      LayerVersionArn: arn,
      Description: layer.Description,
      CreatedDate: layer.CreatedDate,
      Version: layer.Version,
      CompatibleRuntimes: layer.CompatibleRuntimes,
      CompatibleArchitectures: ['x86_64'],
    };
  }

  private async requireFunction(workspaceId: string, name: string): Promise<FunctionDefinition> {
    const definition = await this.options.repository.getFunction(workspaceId, name);
    if (!definition) throw this.notFound(workspaceId, name);
    return definition;
  }

  private notFound(workspaceId: string, name: string): LambdaError {
    return resourceNotFound(`Function not found: ${this.functionArn(workspaceId, name)}`);
  }
}

function emptyRecord(
  invocationType: 'RequestResponse' | 'Event',
  receivedAt: string,
): InvocationRecord {
  return {
    requestId: '',
    invocationType,
    status: 'queued',
    payload: undefined,
    errorType: undefined,
    log: undefined,
    report: undefined,
    receivedAt,
  };
}

/** A layer version ARN's "name/version", how a workspace's own layers are keyed. */
function layerKey(arn: string): string {
  return arn.split(':').slice(-2).join('/');
}

/** The zip of a Code (or Content) parameter: the uploaded one, or one made from the files given. */
function zipOf(code: z.infer<typeof codeSchema>): Uint8Array {
  try {
    if ('ZipFile' in code) return Buffer.from(code.ZipFile, 'base64');
    return createCodeArchive(code.Files.map((f) => ({ path: f.path, content: f.content })));
  } catch (error) {
    if (error instanceof InvalidCodeArchiveError)
      throw invalidParameter(`Could not unzip uploaded file: ${error.message}`);
    throw error;
  }
}

/**
 * The copy of a record kept in history: its response and log cut to HISTORY_FIELD_BYTES
 * each, with a marker saying so. The invoke's caller has the whole record.
 */
export function historyRecord(record: InvocationRecord): InvocationRecord {
  const note = record.invocationType === 'RequestResponse' ? '; the invoke returned all of it' : '';
  return {
    ...record,
    payload: truncateForHistory(record.payload, note),
    log: truncateForHistory(record.log, note),
  };
}

function truncateForHistory(text: string | undefined, note: string): string | undefined {
  if (text === undefined || text.length <= HISTORY_FIELD_BYTES / 4) return text;
  const bytes = Buffer.from(text);
  if (bytes.byteLength <= HISTORY_FIELD_BYTES) return text;
  // Cut at a character boundary: a partial UTF-8 sequence would decode as U+FFFD.
  const kept = bytes
    .subarray(0, HISTORY_FIELD_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${kept}\n[truncated for history: ${bytes.byteLength.toLocaleString('en-US')} bytes${note}]`;
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

function checkRevision(current: FunctionDefinition, expected: string | undefined): void {
  if (expected !== undefined && expected !== current.RevisionId) {
    throw new LambdaError(
      'PreconditionFailedException',
      412,
      'The RevisionId provided does not match the latest RevisionId for the Lambda function or alias. Call the GetFunction or the GetAlias API to retrieve the latest RevisionId for your resource.',
    );
  }
}

/**
 * The runtime a function is being created on or moved to: refused as Lambda
 * refuses a runtime past its block dates, or, in the course's own words, when
 * this course server cannot run it (a machine with no build of its binary).
 */
function checkRuntime(runtime: Runtime): void {
  if (BLOCKED_RUNTIMES.has(runtime)) throw invalidParameter(blockedRuntimeMessage(runtime));
  const problem = runtimeProblem(runtime);
  if (problem) throw invalidParameter(problem);
}

/**
 * The runner's refusals as the Lambda API reports them. Only Lambda's own
 * throttles are 429s: reserved concurrency, and the workspace's concurrency
 * limit (the workspace is the account: Reason ConcurrentInvocationLimitExceeded,
 * the course's message saying its limit is lower than AWS's). A course server
 * with no room ("course busy") is not a Lambda behaviour: a 503
 * ServiceException that says so, which the SDKs retry. Too many provisioned
 * environments is a request the course cannot accept: 400.
 */
function translateThrottle(error: unknown): unknown {
  if (error instanceof ThrottleError) return tooManyRequests(error.message, error.reason);
  if (error instanceof CourseBusyError) return serverBusy(error.message);
  if (error instanceof ProvisionedConcurrencyLimitError) return invalidParameter(error.message);
  return error;
}

/** LogResult: the last 4 KB of the log, base64. AWS documents only the size; this cuts at the byte count, mid-line if that is where 4 KB falls. */
function tail(log: string): string {
  const bytes = Buffer.from(log);
  return bytes.subarray(Math.max(0, bytes.byteLength - LOG_TAIL_BYTES)).toString('base64');
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const whole = issue?.code === 'custom' && issue.params?.lambdaMessage === true;
  const field =
    issue && issue.path.length > 0 && !whole ? `${issue.path.map(String).join('.')}: ` : '';
  throw invalidParameter(`${field}${issue?.message ?? 'invalid request'}`);
}
