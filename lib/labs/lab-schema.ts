import { z } from 'zod';
import { EVENT_PRESETS } from '../events/event-builders';
import { checkSchema } from './checks';
import { ENVIRONMENT_NAME_PATTERN, LAB_LIMITS, LAB_RUNTIMES } from './contract';

/**
 * The code-lab format: `content/<module>/labs/<lab>/lab.yaml` beside the
 * lesson, with the starter files under `starter/` and, for an exercise, the
 * reference answer under `solution/`. A lesson shows the lab with
 * `<CodeLab lab="<lab>" />`. docs/authoring.md mirrors these fields.
 */

export const EVENT_PRESET_NAMES = Object.keys(EVENT_PRESETS) as [
  keyof typeof EVENT_PRESETS,
  ...(keyof typeof EVENT_PRESETS)[],
];

/** A file path inside the lab: relative, forward slashes, no `..`. Files under `layer/` are deployed as a layer, extracted to /opt. */
export const labFilePathSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/,
    'must be a relative path such as "index.mjs" or "layer/nodejs/node_modules/greeter/index.js"',
  );

/** The prefix that marks a file as part of the lab's layer rather than the function's own code. */
export const LAYER_PREFIX = 'layer/';

const labEventSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(60)
      .describe('The label in the event picker, e.g. "Order for Ada".'),
    event: z.unknown().optional().describe('The event as JSON (YAML mapping or list).'),
    preset: z
      .enum(EVENT_PRESET_NAMES, {
        error: `preset must be one of: ${EVENT_PRESET_NAMES.join(', ')}`,
      })
      .optional()
      .describe("An event in AWS's exact shape from lib/events, instead of `event`."),
  })
  .strict()
  .refine(
    (e) => (e.event === undefined) !== (e.preset === undefined),
    'give exactly one of "event" or "preset"',
  );

export const labFileSchema = z
  .object({
    title: z.string().min(1).max(80).describe('Shown above the editor, e.g. "Your first handler".'),
    sandboxNote: z
      .string()
      .min(1)
      .max(240)
      .describe(
        "One line under the title: where the course's sandbox differs from AWS for what this lab shows.",
      ),
    runtime: z.enum(LAB_RUNTIMES, {
      error: (issue) =>
        issue.input === 'nodejs20.x'
          ? 'runtime nodejs20.x is deprecated: Lambda no longer creates functions on it, and a lab creates one. Use nodejs24.x, and make any callback handler (event, context, callback) an async handler, which nodejs24.x requires.'
          : `runtime must be one of: ${LAB_RUNTIMES.join(', ')}`,
    }),
    handler: z
      .string()
      .min(1)
      .max(128)
      .regex(
        /^[A-Za-z0-9_./-]+\.[A-Za-z0-9_$]+$/,
        'must be "<file without extension>.<export>", e.g. "index.handler"',
      ),
    memoryMb: z
      .number()
      .int()
      .min(LAB_LIMITS.memoryMb.min)
      .max(LAB_LIMITS.memoryMb.max)
      .default(128),
    timeoutS: z.number().int().min(LAB_LIMITS.timeoutS.min).max(LAB_LIMITS.timeoutS.max).default(3),
    environment: z
      .record(
        z
          .string()
          .regex(ENVIRONMENT_NAME_PATTERN, 'environment variable names are letters, digits and _'),
        z.string(),
      )
      .default({}),
    files: z
      .array(labFilePathSchema)
      .min(1)
      .max(10)
      .describe('Starter files under starter/, in tab order; the first opens first.'),
    sweep: z
      .boolean()
      .default(false)
      .describe('Offer the Memory sweep button: for labs whose lesson is about memory and speed.'),
    events: z
      .array(labEventSchema)
      .min(1)
      .max(10)
      .describe('Events the learner can pick; the first is selected at start.'),
    exercise: z
      .object({
        hints: z
          .array(z.string().min(1).max(500))
          .min(1)
          .max(5)
          .describe('Revealed one at a time, gentlest first.'),
        checks: z.array(checkSchema).min(1).max(10),
      })
      .strict()
      .optional()
      .describe(
        "Makes the lab an exercise: the learner's code must pass every check. Needs solution/ with the same files.",
      ),
  })
  .strict();
export type LabFile = z.infer<typeof labFileSchema>;
export type LabEvent = z.infer<typeof labEventSchema>;

/** Resolves a lab event to the JSON the handler receives. */
export function labEventValue(event: LabEvent): unknown {
  return event.preset ? EVENT_PRESETS[event.preset]() : event.event;
}
