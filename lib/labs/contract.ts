import { z } from 'zod';
import type { InvocationReport } from '../runner';
import type { CheckResult } from './checks';

/**
 * The code labs' contract between the browser and the server: the limits, the
 * requests each lab route accepts (zod, parsed once by the route) and the
 * replies it sends. Routes, lib/labs and components/lab import this module and
 * nothing else of the labs' server side; it is safe in a browser (zod and
 * type-only imports, which the compiler erases).
 */

export type { CheckResult, InvocationReport };

/**
 * Lambda's limits on what a lab lets the learner set. lab.yaml's schema, the
 * lab routes' and the settings panel all take them from here; the panel runs
 * in the browser, so these are plain values as well as zod schemas below.
 */
export const LAB_LIMITS = {
  memoryMb: { min: 128, max: 10_240 },
  timeoutS: { min: 1, max: 900 },
} as const;

/** An environment variable's name: a letter, then letters, digits and underscores. */
export const ENVIRONMENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The largest file a learner may send in a lab: Run, save and check alike. */
export const MAX_LAB_FILE_BYTES = 512 * 1024;
/** Files in one lab, its layer's included. */
export const MAX_LAB_FILES = 20;
/** The longest path of a file in a lab. */
export const MAX_LAB_PATH_LENGTH = 200;
/** The largest request body the lab routes read: every file at its limit, and room for the event. */
export const MAX_LAB_REQUEST_BYTES = 8 * 1024 * 1024;
/** The largest event a lab sends: Lambda's synchronous payload limit. */
export const MAX_LAB_EVENT_TEXT_BYTES = 256 * 1024;
/** The most invocations one Burst fires: enough to show scale-out, few enough for a small server. */
export const MAX_BURST = 50;

/** One file of a lab as the editor and the runner see it. */
export interface LabSourceFile {
  path: string;
  content: string;
}

/** An event as the lab's event picker offers it: the JSON already formatted for editing. */
export interface LabEventOption {
  name: string;
  text: string;
}

/**
 * What a lesson page sends the browser about a lab: everything to edit and run
 * it, the check titles and hints, but neither the checks' expectations nor the
 * solution (the solution is fetched when the learner asks for it).
 */
export interface LabView {
  id: string;
  functionName: string;
  title: string;
  /** One line: where the course's sandbox differs from AWS for what this lab shows. */
  sandboxNote: string;
  runtime: LabRuntime;
  handler: string;
  memoryMb: number;
  timeoutS: number;
  environment: Record<string, string>;
  files: LabSourceFile[];
  events: LabEventOption[];
  /** AWS's event shapes from lib/events, offered in every lab. */
  presets: LabEventOption[];
  exercise: { checkTitles: string[]; hints: string[] } | undefined;
  hasSolution: boolean;
  /** Whether the lab offers a memory sweep. */
  sweep: boolean;
}

/**
 * Runtimes a lab can use: those of the runner's that Lambda still lets a
 * function be created on (a lab creates one), the newest first (the AWS keys
 * page's example takes the first Node.js one). Not nodejs20.x: Lambda blocks
 * it (lib/lambda/definitions.ts), and content:check tells the author so.
 */
export const LAB_RUNTIMES = ['nodejs24.x', 'nodejs22.x', 'python3.11'] as const;
export type LabRuntime = (typeof LAB_RUNTIMES)[number];

const labFilesSchema = z
  .array(
    z
      .object({
        path: z.string().min(1).max(MAX_LAB_PATH_LENGTH),
        content: z.string().max(MAX_LAB_FILE_BYTES, 'a file may hold at most 512 KB'),
      })
      .strict(),
  )
  .min(1)
  .max(MAX_LAB_FILES);

const memorySchema = z
  .number()
  .int()
  .min(LAB_LIMITS.memoryMb.min, 'memory is at least 128 MB')
  .max(LAB_LIMITS.memoryMb.max, 'memory is at most 10,240 MB');
const timeoutSchema = z
  .number()
  .int()
  .min(LAB_LIMITS.timeoutS.min, 'the timeout is at least 1 second')
  .max(LAB_LIMITS.timeoutS.max, 'the timeout is at most 900 seconds');
const environmentSchema = z.record(
  z
    .string()
    .regex(
      ENVIRONMENT_NAME_PATTERN,
      'environment variable names are letters, digits and _, starting with a letter',
    )
    .max(128),
  z.string().max(4096),
);

/** What a learner can change in a lab besides the code; saved with it. */
export const labSettingsSchema = z
  .object({
    memoryMb: memorySchema,
    timeoutS: timeoutSchema,
    environment: environmentSchema,
    /** The event editor's text as typed, so a half-edited event survives a reload too. */
    eventText: z.string().max(MAX_LAB_EVENT_TEXT_BYTES),
  })
  .strict();
export type LabSettings = z.infer<typeof labSettingsSchema>;

export const labSaveRequestSchema = z
  .object({ files: labFilesSchema, settings: labSettingsSchema })
  .strict();
export const labCheckRequestSchema = z.object({ files: labFilesSchema }).strict();

/**
 * Run: the learner's files and settings, and the event. The runtime and the
 * handler are the lab's own (lab.yaml), not the learner's to choose.
 */
export const labRunRequestSchema = z
  .object({
    memoryMb: memorySchema,
    timeoutS: timeoutSchema,
    environment: environmentSchema.default({}),
    files: labFilesSchema,
    event: z.unknown().default({}),
    /** End the lab function's idle environments first, so this run is a cold start. */
    newEnvironment: z.boolean().default(false),
  })
  .strict();
export type LabRunRequest = z.input<typeof labRunRequestSchema>;

export const labBurstRequestSchema = labRunRequestSchema.extend({
  count: z.number().int().min(1).max(MAX_BURST, `a burst fires at most ${MAX_BURST} invocations`),
  reservedConcurrency: z
    .number()
    .int()
    .min(0)
    .max(MAX_BURST)
    .nullable()
    .default(null)
    .describe('Reserved concurrency during the burst; null leaves the function unreserved.'),
});
export type LabBurstRequest = z.input<typeof labBurstRequestSchema>;

/** One invocation as a lab shows it: Run's reply, and each entry of the history. */
export interface LabRunResult {
  requestId: string;
  payload: string;
  errorType: string | undefined;
  log: string | undefined;
  report: InvocationReport | undefined;
}

/** One invocation of the lab function's history. */
export interface LabHistoryEntry extends LabRunResult {
  invocationType: 'RequestResponse' | 'Event';
}

export interface LabBurstResult {
  invocations: {
    requestId: string;
    errorType: string | undefined;
    report: InvocationReport | undefined;
  }[];
  throttled: number;
  /** Why calls were throttled: reserved concurrency, or the workspace's concurrency limit. */
  throttleMessages: string[];
  /** Calls the course server was too full to run ("course busy", 503): not Lambda throttles, and not counted as such. */
  serverBusy: number;
  /** Why calls were not run as course busy, each message once. */
  serverBusyMessages: string[];
  /** Calls that waited their turn for room on the course server, then ran (they are in `invocations`); AWS would have started them at once. */
  waitedForServer: number;
  /** The longest of those waits, in ms; 0 when none waited. Not part of any Duration. */
  longestServerWaitMs: number;
  coldStarts: number;
  /** Distinct execution environments that served the burst. */
  environments: number;
}

export interface LabSaveResponse {
  files: LabSourceFile[];
  settings: LabSettings;
  savedAt: string;
}

export interface LabCheckResponse {
  results: CheckResult[];
  passed: boolean;
}

/** A syntax error as the editor marks it: 1-based lines and columns. */
export interface SyntaxProblem {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

/** The Python syntax check: the editor checks JavaScript itself. */
export const syntaxCheckRequestSchema = z
  .object({
    runtime: z.literal('python3.11', {
      error: 'only python3.11 code is checked here; the editor checks JavaScript itself',
    }),
    source: z.string().max(MAX_LAB_FILE_BYTES, 'a file may hold at most 512 KB'),
  })
  .strict();
