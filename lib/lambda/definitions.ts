import { z } from 'zod';
import { RUNTIME_BINARIES } from '../runner';

/** Lambda's defaults and limits (../shared/AWS-FACTS.md). */
export const DEFAULT_MEMORY_MB = 128;
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;
/** Lambda's default timeout. */
export const DEFAULT_TIMEOUT_S = 3;
export const MAX_TIMEOUT_S = 900;
export const DEFAULT_EPHEMERAL_MB = 512;
export const MAX_EPHEMERAL_MB = 10_240;
/** Environment variables: 4 KB in total. */
export const MAX_ENVIRONMENT_BYTES = 4 * 1024;
export const MAX_LAYERS = 5;
/** Synchronous invocation payloads: 6 MB each way. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Asynchronous invocation payloads: 1 MB. */
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;

/** Every runtime the runner runs, deprecated ones included: a stored function keeps its runtime. */
export const RUNTIMES = Object.keys(RUNTIME_BINARIES) as [
  keyof typeof RUNTIME_BINARIES,
  ...(keyof typeof RUNTIME_BINARIES)[],
];
export type Runtime = (typeof RUNTIMES)[number];

/**
 * Runtimes past both of Lambda's block dates: functions on them still run, but
 * no function may be created on one, updated to one, or have its code updated
 * while on one (developer guide, "Runtime deprecation"). nodejs20.x was
 * deprecated on 30 April 2026; the Node.js runtimes table has put the blocks
 * on 1 June and 1 July 2026 and, in a later revision, on 31 August and
 * 30 September 2026: past either way.
 */
export const BLOCKED_RUNTIMES: ReadonlySet<Runtime> = new Set(['nodejs20.x']);

/** The runtimes a function may be created on or moved to. */
export const SUPPORTED_RUNTIMES = RUNTIMES.filter((runtime) => !BLOCKED_RUNTIMES.has(runtime));

/**
 * Lambda's answer (InvalidParameterValueException) to a blocked runtime, in the
 * words its API has returned since 2023; before, it named a newer runtime
 * ("We recommend you use the new runtime (nodejs18.x) …").
 */
export function blockedRuntimeMessage(runtime: string): string {
  return `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`;
}

/** Names Lambda reserves; a function may not set them (developer guide, "Defined runtime environment variables"). */
const RESERVED_VARIABLES = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

export const functionNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-zA-Z0-9-_]+$/,
    'must contain only letters, digits, hyphens and underscores (1-64 characters)',
  );

export const environmentVariablesSchema = z
  .record(
    z
      .string()
      .regex(
        /^[a-zA-Z][a-zA-Z0-9_]*$/,
        'names must start with a letter and hold only letters, digits and underscores',
      ),
    z.string(),
  )
  .superRefine((variables, ctx) => {
    const reserved = Object.keys(variables).filter((name) => RESERVED_VARIABLES.has(name));
    if (reserved.length > 0)
      ctx.addIssue({
        code: 'custom',
        // Lambda's own words, whole: `params.lambdaMessage` tells the API not to prefix the field path.
        message: `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
        params: { lambdaMessage: true },
      });
    const bytes = Object.entries(variables).reduce(
      (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v),
      0,
    );
    if (bytes > MAX_ENVIRONMENT_BYTES)
      ctx.addIssue({
        code: 'custom',
        message: `take ${bytes} bytes; Lambda allows 4 KB (4,096 bytes) in total`,
      });
  });

/** Everything about a function except its code. Field names follow the Lambda API. */
/**
 * Each setting as Lambda validates it, without defaults: an update names only
 * what it changes, so a default here would overwrite what it left out.
 */
const settingFields = {
  Runtime: z.enum(RUNTIMES, {
    error: `Runtime must be one of: ${SUPPORTED_RUNTIMES.join(', ')}`,
  }),
  Handler: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[^\s]+$/, 'Handler must not contain spaces'),
  MemorySize: z
    .number()
    .int()
    .min(MIN_MEMORY_MB, `MemorySize must be at least ${MIN_MEMORY_MB} MB`)
    .max(MAX_MEMORY_MB, `MemorySize must be at most ${MAX_MEMORY_MB} MB`),
  Timeout: z
    .number()
    .int()
    .min(1, 'Timeout must be at least 1 second')
    .max(MAX_TIMEOUT_S, 'Timeout must be at most 900 seconds (15 minutes)'),
  Description: z.string().max(256),
  Environment: z.object({ Variables: environmentVariablesSchema.default({}) }),
  EphemeralStorage: z.object({
    Size: z.number().int().min(DEFAULT_EPHEMERAL_MB).max(MAX_EPHEMERAL_MB),
  }),
  Layers: z
    .array(
      z
        .string()
        .regex(
          /^arn:aws:lambda:[a-z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:\d+$/,
          'Layers must be layer version ARNs',
        ),
    )
    .max(MAX_LAYERS, `a function can use at most ${MAX_LAYERS} layers`),
  Role: z
    .string()
    .regex(
      /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/,
      'Role must be an IAM role ARN such as arn:aws:iam::123456789012:role/lambda-role',
    ),
};

/** A function's settings on CreateFunction: what it leaves out takes Lambda's default. */
export const functionSettingsSchema = z.object({
  ...settingFields,
  MemorySize: settingFields.MemorySize.default(DEFAULT_MEMORY_MB),
  Timeout: settingFields.Timeout.default(DEFAULT_TIMEOUT_S),
  Description: settingFields.Description.default(''),
  Environment: settingFields.Environment.default({ Variables: {} }),
  EphemeralStorage: settingFields.EphemeralStorage.default({ Size: DEFAULT_EPHEMERAL_MB }),
  Layers: settingFields.Layers.default([]),
});

/** UpdateFunctionConfiguration's settings: every one optional, none defaulted, so what is not named is kept. */
export const functionSettingsUpdateSchema = z.object(settingFields).partial();

export type FunctionSettings = z.infer<typeof functionSettingsSchema>;

/** A function as stored: its settings, its code's identity and its concurrency settings. */
export interface FunctionDefinition extends FunctionSettings {
  FunctionName: string;
  CodeSha256: string;
  CodeSize: number;
  /** Content address of the extracted code under DATA_DIR/code. */
  codeId: string;
  /** Bytes of the extracted code; absent on functions stored before sizes were recorded. */
  unzippedSize?: number;
  RevisionId: string;
  LastModified: string;
  ReservedConcurrentExecutions: number | undefined;
  ProvisionedConcurrentExecutions: number;
}

/** The Lambda API's FunctionConfiguration for a definition. */
export function toFunctionConfiguration(
  definition: FunctionDefinition,
  arn: string,
  layerSizes: Map<string, number>,
) {
  return {
    FunctionName: definition.FunctionName,
    FunctionArn: arn,
    Runtime: definition.Runtime,
    Role: definition.Role,
    Handler: definition.Handler,
    CodeSize: definition.CodeSize,
    Description: definition.Description,
    Timeout: definition.Timeout,
    MemorySize: definition.MemorySize,
    LastModified: definition.LastModified,
    CodeSha256: definition.CodeSha256,
    Version: '$LATEST',
    Environment: { Variables: definition.Environment.Variables },
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: definition.RevisionId,
    Layers: definition.Layers.map((Arn) => ({ Arn, CodeSize: layerSizes.get(Arn) ?? 0 })),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: definition.EphemeralStorage.Size },
  };
}
export type FunctionConfiguration = ReturnType<typeof toFunctionConfiguration>;

/** Lambda's LastModified format: 2026-11-30T10:00:00.000+0000. */
export function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}
