/**
 * What one workspace may keep and queue on the course server: code storage, invocation
 * history and queued asynchronous events. Lambda's own quotas are far larger (75 GB of code
 * per Region, https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); the
 * course's are sized for a learner, so one workspace cannot fill a shared server's disk,
 * database or memory. docs/security.md ("Storage and history quotas") explains each.
 */

/** Zipped code (function packages and layer versions) a workspace may store, in MB; every lab together is well under 1 MB. */
export const DEFAULT_CODE_STORAGE_MB_PER_WORKSPACE = 256;
/** Unzipped code a workspace may store, in MB: its packages and the merged /opt folders of its layer lists; four of Lambda's largest (250 MB) functions. */
export const DEFAULT_UNZIPPED_STORAGE_MB_PER_WORKSPACE = 1024;
/** Invocation records a workspace keeps across all its functions, oldest dropped first. */
export const DEFAULT_HISTORY_RECORDS_PER_WORKSPACE = 300;
/** Bytes of a response, and of a log, kept in a history record; the invoke itself returns all of it. */
export const HISTORY_FIELD_BYTES = 32 * 1024;
/** Asynchronous (Event) invocations one workspace may have queued or running at once. */
export const DEFAULT_ASYNC_EVENTS_PER_WORKSPACE = 20;
/** Payload bytes of one workspace's queued and running Event invocations, in MB (Lambda takes 1 MB per event). */
export const DEFAULT_ASYNC_QUEUE_MB_PER_WORKSPACE = 4;
/** Event invocations queued or running across the server. */
export const DEFAULT_ASYNC_EVENTS_PER_SERVER = 200;
/** Payload bytes of all queued and running Event invocations on the server, in MB. */
export const DEFAULT_ASYNC_QUEUE_MB_PER_SERVER = 64;
/** How long a package, zip or merged /opt folder stays on disk after nothing references it, so an environment starting with it finds it. */
export const DEFAULT_COLLECTION_GRACE_MS = 60_000;
/** How often storage nothing references is swept, besides the sweep after each change. */
export const COLLECTION_INTERVAL_MS = 10 * 60_000;

const MB = 1024 * 1024;

/** The quotas a LambdaService enforces; lib/server/config.ts fills them from the environment. */
export interface LambdaQuotas {
  /** @default DEFAULT_CODE_STORAGE_MB_PER_WORKSPACE in bytes */
  codeStorageBytesPerWorkspace: number;
  /** @default DEFAULT_UNZIPPED_STORAGE_MB_PER_WORKSPACE in bytes */
  unzippedStorageBytesPerWorkspace: number;
  /** @default DEFAULT_ASYNC_EVENTS_PER_WORKSPACE */
  asyncEventsPerWorkspace: number;
  /** @default DEFAULT_ASYNC_QUEUE_MB_PER_WORKSPACE in bytes */
  asyncQueueBytesPerWorkspace: number;
  /** @default DEFAULT_ASYNC_EVENTS_PER_SERVER */
  asyncEventsPerServer: number;
  /** @default DEFAULT_ASYNC_QUEUE_MB_PER_SERVER in bytes */
  asyncQueueBytesPerServer: number;
  /** @default DEFAULT_COLLECTION_GRACE_MS */
  collectionGraceMs: number;
}

export const DEFAULT_LAMBDA_QUOTAS: LambdaQuotas = {
  codeStorageBytesPerWorkspace: DEFAULT_CODE_STORAGE_MB_PER_WORKSPACE * MB,
  unzippedStorageBytesPerWorkspace: DEFAULT_UNZIPPED_STORAGE_MB_PER_WORKSPACE * MB,
  asyncEventsPerWorkspace: DEFAULT_ASYNC_EVENTS_PER_WORKSPACE,
  asyncQueueBytesPerWorkspace: DEFAULT_ASYNC_QUEUE_MB_PER_WORKSPACE * MB,
  asyncEventsPerServer: DEFAULT_ASYNC_EVENTS_PER_SERVER,
  asyncQueueBytesPerServer: DEFAULT_ASYNC_QUEUE_MB_PER_SERVER * MB,
  collectionGraceMs: DEFAULT_COLLECTION_GRACE_MS,
};
