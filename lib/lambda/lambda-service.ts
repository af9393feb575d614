import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ThrottleError, type FunctionRunner, type Invocation, type InvocationReport, type PoolFunction } from '../runner/pool';
import { createCodeArchive, InvalidCodeArchiveError, readCodeArchive, type PackageFile } from './code-archive';
import type { CodeStore } from './code-store';
import {
  functionNameSchema,
  functionSettingsSchema,
  lambdaTimestamp,
  MAX_ASYNC_PAYLOAD_BYTES,
  MAX_SYNC_PAYLOAD_BYTES,
  RUNTIMES,
  toFunctionConfiguration,
  type FunctionConfiguration,
  type FunctionDefinition,
} from './definitions';
import { LAYER_PREFIX as LAB_LAYER_PREFIX } from '../labs/lab-schema';
import { invalidParameter, LambdaError, requestTooLarge, resourceConflict, resourceNotFound, tooManyRequests } from './errors';
import type { FunctionRepository, LayerVersionDefinition } from './function-repository';

/** The Region every workspace lives in. */
export const REGION = 'us-east-1';
/** LogType Tail returns the last 4 KB of the log. */
const LOG_TAIL_BYTES = 4096;

export const codeSchema = z.union([
  z.object({ ZipFile: z.string().min(1, 'Code.ZipFile must hold the base64-encoded zip') }).strict(),
  z.object({ Files: z.array(z.object({ path: z.string().min(1), content: z.string() }).strict()).min(1).max(50) }).strict(),
]);

export const createFunctionRequestSchema = functionSettingsSchema.extend({
  FunctionName: functionNameSchema,
  Code: codeSchema,
  Publish: z.boolean().optional(),
  PackageType: z.literal('Zip').optional(),
  Architectures: z.array(z.literal('x86_64', { error: 'only x86_64 is available in the course' })).max(1).optional(),
  Tags: z.record(z.string(), z.string()).optional(),
  TracingConfig: z.object({ Mode: z.enum(['Active', 'PassThrough']) }).optional(),
});
export type CreateFunctionRequest = z.input<typeof createFunctionRequestSchema>;

export const updateConfigurationRequestSchema = functionSettingsSchema.partial().extend({ RevisionId: z.string().optional() });
export const updateCodeRequestSchema = z.object({ ZipFile: z.string().optional(), Files: z.array(z.object({ path: z.string().min(1), content: z.string() })).max(50).optional(), RevisionId: z.string().optional(), Publish: z.boolean().optional(), Architectures: z.array(z.literal('x86_64')).optional() }).refine((v) => (v.ZipFile === undefined) !== (v.Files === undefined), 'give exactly one of ZipFile or Files');

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

/** What the app's code lab sends: the learner's files and settings, and the event to run. */
export const labRunRequestSchema = z
  .object({
    runtime: z.enum(RUNTIMES),
    handler: z.string().min(1).max(128),
    memoryMb: z.number().int(),
    timeoutS: z.number().int(),
    environment: z.record(z.string(), z.string()).default({}),
    files: z.array(z.object({ path: z.string().min(1).max(256), content: z.string().max(512 * 1024) }).strict()).min(1).max(20),
    event: z.unknown().default({}),
    newEnvironment: z.boolean().default(false),
  })
  .strict();
export type LabRunRequest = z.input<typeof labRunRequestSchema>;

/** The most invocations one Burst fires: enough to show scale-out, few enough for a small server. */
export const MAX_BURST = 50;

export const labBurstRequestSchema = labRunRequestSchema.extend({
  count: z.number().int().min(1).max(MAX_BURST, `a burst fires at most ${MAX_BURST} invocations`),
  reservedConcurrency: z.number().int().min(0).max(MAX_BURST).nullable().default(null).describe('Reserved concurrency during the burst; null leaves the function unreserved.'),
});

export interface BurstResult {
  invocations: InvocationRecord[];
  throttled: number;
  /** Why calls were throttled: reserved concurrency, or one of the course server's own caps. */
  throttleMessages: string[];
  coldStarts: number;
  /** Distinct execution environments that served the burst. */
  environments: number;
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
  clock?: () => Date;
}

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

  constructor(private readonly options: LambdaServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** A 12-digit account id for a workspace, stable and distinct per workspace. */
  accountId(workspaceId: string): string {
    const digits = BigInt(`0x${createHash('sha256').update(workspaceId).digest('hex').slice(0, 15)}`).toString().padStart(12, '0');
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
    const request = parse(createFunctionRequestSchema, input);
    if (await this.options.repository.getFunction(workspaceId, request.FunctionName)) {
      throw resourceConflict(`Function already exist: ${request.FunctionName}`);
    }
    await this.requireLayers(workspaceId, request.Layers);
    const code = await this.storeCode(request.Code);
    const now = this.clock();
    // Fields the course accepts for compatibility but does not model.
    const { Code, Publish, PackageType, Architectures, Tags, TracingConfig, ...settings } = request;
    const definition: FunctionDefinition = {
      ...settings,
      CodeSha256: code.codeSha256,
      CodeSize: code.codeSize,
      codeId: code.codeId,
      RevisionId: randomUUID(),
      LastModified: lambdaTimestamp(now),
      ReservedConcurrentExecutions: undefined,
      ProvisionedConcurrentExecutions: 0,
    };
    if (!(await this.options.repository.insertFunction(workspaceId, definition, now))) {
      throw resourceConflict(`Function already exist: ${request.FunctionName}`);
    }
    return this.configurationOf(workspaceId, definition);
  }

  async getFunction(workspaceId: string, name: string): Promise<{ configuration: FunctionConfiguration; definition: FunctionDefinition }> {
    const definition = await this.requireFunction(workspaceId, name);
    return { configuration: await this.configurationOf(workspaceId, definition), definition };
  }

  async listFunctions(workspaceId: string): Promise<FunctionConfiguration[]> {
    const definitions = await this.options.repository.listFunctions(workspaceId);
    return Promise.all(definitions.map((d) => this.configurationOf(workspaceId, d)));
  }

  async updateFunctionCode(workspaceId: string, name: string, input: unknown): Promise<FunctionConfiguration> {
    const request = parse(updateCodeRequestSchema, input);
    const current = await this.requireFunction(workspaceId, name);
    checkRevision(current, request.RevisionId);
    const code = await this.storeCode(request.ZipFile !== undefined ? { ZipFile: request.ZipFile } : { Files: request.Files! });
    return this.replace(workspaceId, current, { CodeSha256: code.codeSha256, CodeSize: code.codeSize, codeId: code.codeId });
  }

  async updateFunctionConfiguration(workspaceId: string, name: string, input: unknown): Promise<FunctionConfiguration> {
    const { RevisionId, ...changes } = parse(updateConfigurationRequestSchema, input);
    const current = await this.requireFunction(workspaceId, name);
    checkRevision(current, RevisionId);
    if (changes.Layers) await this.requireLayers(workspaceId, changes.Layers);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    return this.replace(workspaceId, current, defined);
  }

  async deleteFunction(workspaceId: string, name: string): Promise<void> {
    if (!(await this.options.repository.deleteFunction(workspaceId, name))) throw this.notFound(workspaceId, name);
    await this.options.pool.resetFunction({ workspaceId, functionName: name });
  }

  async putFunctionConcurrency(workspaceId: string, name: string, input: unknown): Promise<{ ReservedConcurrentExecutions: number }> {
    const { ReservedConcurrentExecutions } = parse(z.object({ ReservedConcurrentExecutions: z.number().int().min(0).max(1000) }), input);
    const current = await this.requireFunction(workspaceId, name);
    await this.replace(workspaceId, current, { ReservedConcurrentExecutions }, false);
    return { ReservedConcurrentExecutions };
  }

  async deleteFunctionConcurrency(workspaceId: string, name: string): Promise<void> {
    const current = await this.requireFunction(workspaceId, name);
    await this.replace(workspaceId, current, { ReservedConcurrentExecutions: undefined }, false);
  }

  async putProvisionedConcurrency(workspaceId: string, name: string, qualifier: string | null, input: unknown) {
    const { ProvisionedConcurrentExecutions } = parse(z.object({ ProvisionedConcurrentExecutions: z.number().int().min(1).max(10) }), input);
    if (qualifier !== null && qualifier !== '$LATEST') throw resourceNotFound(`Function not found: ${this.functionArn(workspaceId, name)}:${qualifier}`);
    const current = await this.requireFunction(workspaceId, name);
    const updated = await this.replaceDefinition(workspaceId, current, { ProvisionedConcurrentExecutions }, false);
    try {
      await this.options.pool.provision(await this.poolFunction(workspaceId, updated), ProvisionedConcurrentExecutions);
    } catch (error) {
      throw translateThrottle(error);
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
    const code = await this.storeCode(request.Content);
    const layer = await this.options.repository.publishLayerVersion(
      workspaceId,
      { LayerName: request.LayerName, Description: request.Description, CompatibleRuntimes: request.CompatibleRuntimes, CodeSha256: code.codeSha256, CodeSize: code.codeSize, codeId: code.codeId, CreatedDate: lambdaTimestamp(this.clock()) },
      this.clock(),
    );
    return this.layerVersionResponse(workspaceId, layer);
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
  async invoke(workspaceId: string, name: string, payload: Uint8Array, options: { invocationType?: InvocationType; logType?: 'None' | 'Tail'; qualifier?: string | null } = {}): Promise<InvokeResult> {
    const invocationType = options.invocationType ?? 'RequestResponse';
    if (options.qualifier && options.qualifier !== '$LATEST') throw resourceNotFound(`Function not found: ${this.functionArn(workspaceId, name)}:${options.qualifier}`);
    const definition = await this.requireFunction(workspaceId, name);
    const limit = invocationType === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    if (payload.byteLength > limit) {
      throw requestTooLarge(`${payload.byteLength} byte payload is too large for the ${invocationType} invocation type (limit ${limit} bytes)`);
    }
    const event = payload.byteLength === 0 ? '{}' : Buffer.from(payload).toString('utf8');
    try {
      JSON.parse(event);
    } catch {
      throw new LambdaError('InvalidRequestContentException', 400, 'Could not parse request body into json: the payload must be JSON.');
    }
    const receivedAt = this.clock().toISOString();
    const fn = await this.poolFunction(workspaceId, definition);

    if (invocationType === 'DryRun') {
      return { statusCode: 204, payload: '', functionError: undefined, logResult: undefined, executedVersion: '$LATEST', record: emptyRecord('RequestResponse', receivedAt) };
    }
    if (invocationType === 'Event') {
      const record: InvocationRecord = { ...emptyRecord('Event', receivedAt), requestId: randomUUID() };
      await this.options.repository.saveInvocation(workspaceId, name, record.requestId, record, this.clock());
      this.runInBackground(workspaceId, fn, event, record);
      return { statusCode: 202, payload: '', functionError: undefined, logResult: undefined, executedVersion: '$LATEST', record };
    }

    let invocation: Invocation;
    try {
      invocation = await this.options.pool.invoke(fn, event);
    } catch (error) {
      throw translateThrottle(error);
    }
    const record = this.recordOf(invocation, 'RequestResponse', receivedAt);
    // The caller has its answer; the history is written beside it, off the hot path.
    this.track(this.writes, this.options.repository.saveInvocation(workspaceId, name, record.requestId, record, this.clock()).catch((error: unknown) => console.error(`Could not save invocation ${record.requestId}:`, error)));
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
   * The code lab's Run: creates the function or brings its code and settings up
   * to date (a change means a new revision, so the next call is cold, as on
   * Lambda), then invokes it synchronously.
   */
  async deployAndInvoke(workspaceId: string, name: string, input: unknown): Promise<{ configuration: FunctionConfiguration; result: InvokeResult }> {
    const request = parse(labRunRequestSchema, input);
    const configuration = await this.deployLab(workspaceId, name, request);
    if (request.newEnvironment) await this.options.pool.resetFunction({ workspaceId, functionName: name });
    const result = await this.invoke(workspaceId, name, Buffer.from(JSON.stringify(request.event ?? {})));
    return { configuration, result };
  }

  /**
   * The code lab's Burst: deploys like Run, then fires `count` invocations at
   * once, under a reserved concurrency for the burst's length if one is given
   * (the function's own setting is put back afterwards). Throttled calls are
   * counted, as a caller would see them: 429s.
   */
  async burst(workspaceId: string, name: string, input: unknown): Promise<BurstResult> {
    const request = parse(labBurstRequestSchema, input);
    await this.deployLab(workspaceId, name, request);
    if (request.newEnvironment) await this.options.pool.resetFunction({ workspaceId, functionName: name });
    const before = (await this.requireFunction(workspaceId, name)).ReservedConcurrentExecutions;
    if (request.reservedConcurrency !== null) await this.putFunctionConcurrency(workspaceId, name, { ReservedConcurrentExecutions: request.reservedConcurrency });
    try {
      const payload = Buffer.from(JSON.stringify(request.event ?? {}));
      const outcomes = await Promise.allSettled(Array.from({ length: request.count }, () => this.invoke(workspaceId, name, payload)));
      const invocations: InvocationRecord[] = [];
      const throttleMessages = new Set<string>();
      let throttled = 0;
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') invocations.push(outcome.value.record);
        else if (outcome.reason instanceof LambdaError && outcome.reason.status === 429) {
          throttled += 1;
          throttleMessages.add(outcome.reason.reason ? `${outcome.reason.reason}: ${outcome.reason.message}` : outcome.reason.message);
        } else throw outcome.reason;
      }
      const reports = invocations.flatMap((record) => (record.report ? [record.report] : []));
      return {
        invocations,
        throttled,
        throttleMessages: [...throttleMessages],
        coldStarts: reports.filter((r) => r.coldStart).length,
        environments: new Set(reports.map((r) => r.environmentId)).size,
      };
    } finally {
      if (request.reservedConcurrency !== null) {
        if (before === undefined) await this.deleteFunctionConcurrency(workspaceId, name);
        else await this.putFunctionConcurrency(workspaceId, name, { ReservedConcurrentExecutions: before });
      }
    }
  }

  /** Creates the lab's function or brings its code, layer and settings up to date; a change means a new revision, so the next call is cold. */
  private async deployLab(workspaceId: string, name: string, request: z.output<typeof labRunRequestSchema>): Promise<FunctionConfiguration> {
    parse(functionNameSchema, name);
    const files = request.files.filter((f) => !f.path.startsWith(LAB_LAYER_PREFIX)).map((f) => ({ path: f.path, content: f.content }));
    const layerFiles = request.files.filter((f) => f.path.startsWith(LAB_LAYER_PREFIX)).map((f) => ({ path: f.path.slice(LAB_LAYER_PREFIX.length), content: f.content }));
    if (files.length === 0) throw invalidParameter(`The lab has only ${LAB_LAYER_PREFIX} files; it needs the function's own code too.`);
    const settings = {
      Runtime: request.runtime,
      Handler: request.handler,
      MemorySize: request.memoryMb,
      Timeout: request.timeoutS,
      Environment: { Variables: request.environment },
      Layers: layerFiles.length > 0 ? [await this.labLayerArn(workspaceId, name, request.runtime, layerFiles)] : [],
    };
    const existing = await this.options.repository.getFunction(workspaceId, name);
    let configuration: FunctionConfiguration;
    if (!existing) {
      configuration = await this.createFunction(workspaceId, { ...settings, FunctionName: name, Role: this.defaultRole(workspaceId), Code: { Files: files } });
    } else {
      const zip = createCodeArchive(files);
      const codeChanged = createHash('sha256').update(zip).digest('base64') !== existing.CodeSha256;
      configuration = codeChanged ? await this.updateFunctionCode(workspaceId, name, { Files: files }) : await this.configurationOf(workspaceId, existing);
      const current = await this.requireFunction(workspaceId, name);
      const settingsChanged =
        current.Runtime !== settings.Runtime ||
        current.Handler !== settings.Handler ||
        current.MemorySize !== settings.MemorySize ||
        current.Timeout !== settings.Timeout ||
        JSON.stringify(current.Layers) !== JSON.stringify(settings.Layers) ||
        JSON.stringify(current.Environment.Variables) !== JSON.stringify(settings.Environment.Variables);
      if (settingsChanged) configuration = await this.updateFunctionConfiguration(workspaceId, name, settings);
    }
    return configuration;
  }

  /** The lab's layer: the latest version if its files are unchanged, else a newly published one. */
  private async labLayerArn(workspaceId: string, functionName: string, runtime: string, files: { path: string; content: string }[]): Promise<string> {
    const layerName = `${functionName.slice(0, 58)}-layer`;
    const sha = createHash('sha256').update(createCodeArchive(files)).digest('base64');
    const versions = await this.options.repository.listLayerVersions(workspaceId, layerName);
    const latest = versions.reduce<(typeof versions)[number] | undefined>((newest, v) => (!newest || v.Version > newest.Version ? v : newest), undefined);
    if (latest?.CodeSha256 === sha) return this.layerVersionArn(workspaceId, latest);
    const published = await this.publishLayerVersion(workspaceId, { LayerName: layerName, Description: 'Code-lab layer', Content: { Files: files }, CompatibleRuntimes: [runtime] });
    return published.LayerVersionArn;
  }

  async recentInvocations(workspaceId: string, name: string): Promise<InvocationRecord[]> {
    await this.requireFunction(workspaceId, name);
    await Promise.all([...this.writes]);
    return this.options.repository.recentInvocations<InvocationRecord>(workspaceId, name);
  }

  /** Forces the function's next invocation to start a new environment. */
  async resetEnvironments(workspaceId: string, name: string): Promise<void> {
    await this.requireFunction(workspaceId, name);
    await this.options.pool.resetFunction({ workspaceId, functionName: name });
  }

  /** Waits for queued asynchronous invocations (tests and shutdown). */
  async drain(): Promise<void> {
    while (this.background.size + this.writes.size > 0) await Promise.all([...this.background, ...this.writes]);
  }

  private runInBackground(workspaceId: string, fn: PoolFunction, event: string, queued: InvocationRecord): void {
    const task = (async () => {
      // Lambda retries throttled asynchronous events; here a few times with a growing wait.
      for (let attempt = 0; ; attempt++) {
        try {
          const invocation = await this.options.pool.invoke(fn, event);
          const record = { ...this.recordOf(invocation, 'Event', queued.receivedAt), requestId: queued.requestId };
          await this.options.repository.saveInvocation(workspaceId, fn.functionName, queued.requestId, record, this.clock());
          return;
        } catch (error) {
          if (!(error instanceof ThrottleError) || attempt >= 4) {
            const record: InvocationRecord = { ...queued, status: 'failed', errorType: error instanceof ThrottleError ? 'TooManyRequestsException' : 'ServiceException', payload: JSON.stringify({ errorMessage: (error as Error).message }) };
            await this.options.repository.saveInvocation(workspaceId, fn.functionName, queued.requestId, record, this.clock()).catch(() => undefined);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
        }
      }
    })();
    this.track(this.background, task);
  }

  private track(set: Set<Promise<void>>, task: Promise<void>): void {
    set.add(task);
    void task.finally(() => set.delete(task));
  }

  private recordOf(invocation: Invocation, invocationType: 'RequestResponse' | 'Event', receivedAt: string): InvocationRecord {
    let payload = invocation.payload;
    let errorType = invocation.errorType;
    if (Buffer.byteLength(payload) > MAX_SYNC_PAYLOAD_BYTES) {
      errorType = 'Function.ResponseSizeTooLarge';
      payload = JSON.stringify({ errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`, errorType });
    }
    return { requestId: invocation.requestId, invocationType, status: errorType ? 'failed' : 'succeeded', payload, errorType, log: invocation.log, report: invocation.report, receivedAt };
  }

  private async replace(workspaceId: string, current: FunctionDefinition, changes: Partial<FunctionDefinition>, newRevision = true): Promise<FunctionConfiguration> {
    return this.configurationOf(workspaceId, await this.replaceDefinition(workspaceId, current, changes, newRevision));
  }

  /** Code or configuration changes get a new RevisionId, which retires the function's environments. */
  private async replaceDefinition(workspaceId: string, current: FunctionDefinition, changes: Partial<FunctionDefinition>, newRevision = true): Promise<FunctionDefinition> {
    const updated: FunctionDefinition = {
      ...current,
      ...changes,
      ...(newRevision ? { RevisionId: randomUUID(), LastModified: lambdaTimestamp(this.clock()) } : {}),
    };
    if (!(await this.options.repository.replaceFunction(workspaceId, updated, current.RevisionId, this.clock()))) {
      throw resourceConflict('The function was changed by another request at the same time; get it again and retry.');
    }
    return updated;
  }

  private async storeCode(code: z.infer<typeof codeSchema>) {
    let zip: Uint8Array;
    let files: PackageFile[];
    try {
      if ('ZipFile' in code) {
        zip = Buffer.from(code.ZipFile, 'base64');
        if (zip.byteLength === 0) throw new InvalidCodeArchiveError('Code.ZipFile is not base64-encoded zip data.');
        files = readCodeArchive(zip);
      } else {
        zip = createCodeArchive(code.Files.map((f) => ({ path: f.path, content: f.content })));
        files = readCodeArchive(zip);
      }
    } catch (error) {
      if (error instanceof InvalidCodeArchiveError) throw invalidParameter(`Could not unzip uploaded file: ${error.message}`);
      throw error;
    }
    return this.options.codeStore.save(zip, files);
  }

  private async poolFunction(workspaceId: string, definition: FunctionDefinition): Promise<PoolFunction> {
    const layers = await this.layerDefinitions(workspaceId, definition.Layers);
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
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: 'course-session-token' },
    };
  }

  private async requireLayers(workspaceId: string, arns: readonly string[]): Promise<void> {
    await this.layerDefinitions(workspaceId, arns);
  }

  private async layerDefinitions(workspaceId: string, arns: readonly string[]): Promise<LayerVersionDefinition[]> {
    const account = this.accountId(workspaceId);
    return Promise.all(
      arns.map(async (arn) => {
        const match = /^arn:aws:lambda:[a-z0-9-]+:(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/.exec(arn);
        const layer = match && match[1] === account ? await this.options.repository.getLayerVersion(workspaceId, match[2]!, Number(match[3])) : undefined;
        if (!layer) throw invalidParameter(`Layer version ${arn} does not exist.`);
        return layer;
      }),
    );
  }

  private async configurationOf(workspaceId: string, definition: FunctionDefinition): Promise<FunctionConfiguration> {
    const layers = await this.layerDefinitions(workspaceId, definition.Layers).catch(() => []);
    const sizes = new Map(layers.map((l) => [this.layerVersionArn(workspaceId, l), l.CodeSize]));
    return toFunctionConfiguration(definition, this.functionArn(workspaceId, definition.FunctionName), sizes);
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

function emptyRecord(invocationType: 'RequestResponse' | 'Event', receivedAt: string): InvocationRecord {
  return { requestId: '', invocationType, status: 'queued', payload: undefined, errorType: undefined, log: undefined, report: undefined, receivedAt };
}

function checkRevision(current: FunctionDefinition, expected: string | undefined): void {
  if (expected !== undefined && expected !== current.RevisionId) {
    throw new LambdaError('PreconditionFailedException', 412, 'The RevisionId provided does not match the latest RevisionId for the Lambda function or alias. Call the GetFunction or the GetAlias API to retrieve the latest RevisionId for your resource.');
  }
}

function translateThrottle(error: unknown): unknown {
  if (!(error instanceof ThrottleError)) return error;
  return error.reason === 'ReservedFunctionConcurrentInvocationLimitExceeded'
    ? tooManyRequests('Rate Exceeded.', error.reason)
    : tooManyRequests(error.message, error.reason);
}

/** The last 4 KB of a log, base64, cut at a line start where possible. */
function tail(log: string): string {
  const bytes = Buffer.from(log);
  return bytes.subarray(Math.max(0, bytes.byteLength - LOG_TAIL_BYTES)).toString('base64');
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  throw invalidParameter(`${field}${issue?.message ?? 'invalid request'}`);
}
