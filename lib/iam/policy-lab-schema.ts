import { z } from 'zod';
import { MAX_ARN_LENGTH, MAX_POLICY_LAB_CALLS, MAX_POLICY_TEXT_CHARS } from './contract';

/**
 * The policy-lab format: `content/<module>/labs/<lab>/policy-lab.yaml`, shown
 * by a lesson of that module with `<PolicyLab id="<lab>" />`. docs/authoring.md
 * ("PolicyLab") mirrors these fields.
 */

/** The file a policy lab's folder holds (a code lab's holds lab.yaml). */
export const POLICY_LAB_FILE = 'policy-lab.yaml';

/** Request context keys beyond this many are not a scenario a learner can follow. */
const MAX_CONTEXT_KEYS = 10;

const contextSchema = z
  .record(
    z.string().min(1).max(128),
    // YAML reads an unquoted true as a Boolean; the request context holds text, as IAM's does.
    z.union([z.string().max(1024), z.boolean()]).transform(String),
  )
  .refine((context) => Object.keys(context).length <= MAX_CONTEXT_KEYS, {
    message: `give at most ${MAX_CONTEXT_KEYS} context keys`,
  })
  .describe('Request context keys and their values, e.g. aws:RequestedRegion: us-east-1.');

const callSchema = z
  .object({
    title: z
      .string()
      .min(1)
      .max(120)
      .describe('What the function does with the call, e.g. "Read one order".'),
    action: z.string().min(3).max(128).describe('The action as AWS spells it: dynamodb:GetItem.'),
    resource: z
      .string()
      .min(1)
      .max(MAX_ARN_LENGTH)
      .describe('The ARN the call acts on: one resource, no wildcards.'),
    needed: z
      .boolean()
      .describe(
        'true: the function makes this call, so it must be allowed; false: it must be denied.',
      ),
    context: contextSchema.default({}).describe("Keys for this call only, over the lab's context."),
  })
  .strict();

const policyText = z
  .string()
  .min(1)
  .max(MAX_POLICY_TEXT_CHARS)
  .describe('An IAM policy document as JSON, best written as a YAML block (starter: |).');

export const policyLabFileSchema = z
  .object({
    title: z.string().min(1).max(80).describe('Shown above the lab.'),
    scenario: z
      .string()
      .min(1)
      .max(2000)
      .describe('What the function does and what it must not do; a blank line starts a paragraph.'),
    context: contextSchema.default({}).describe('Request context every call carries.'),
    calls: z
      .array(callSchema)
      .min(2)
      .max(MAX_POLICY_LAB_CALLS)
      .describe(
        'The calls to judge, in table order: those the function makes and those it must not.',
      ),
    starter: policyText.describe(
      'The policy the learner starts from: it must fall short of the goal.',
    ),
    solution: policyText.describe(
      'A policy that meets the goal, proving the lab can be done; never sent to the browser.',
    ),
  })
  .strict();
export type PolicyLabFile = z.infer<typeof policyLabFileSchema>;
