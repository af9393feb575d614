import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readShownLabs, type ShownLabSite } from '../authoring/shown-labs';
import type { ContentProblem, SourcePosition } from '../authoring/problems';
import { parseYamlWithSchema } from '../authoring/yaml-file';
import {
  checkPolicyLab,
  conditionKeyType,
  knownAction,
  parsePolicy,
  type PolicyLabCall,
  type PolicyLabView,
  type PolicyProblem,
} from './contract';
import { POLICY_LAB_FILE, policyLabFileSchema, type PolicyLabFile } from './policy-lab-schema';

/** A policy lab, read and proved: what a lesson page shows, with the reference answer kept server-side. */
export interface PolicyLabDefinition extends PolicyLabView {
  moduleSlug: string;
  slug: string;
  /** A policy that meets the goal. */
  solution: string;
  /** Project-relative path of policy-lab.yaml, for problem reports. */
  file: string;
}

/** What a lesson page sends the browser: everything but the solution. */
export function toPolicyLabView(lab: PolicyLabDefinition): PolicyLabView {
  return {
    id: lab.id,
    title: lab.title,
    scenario: lab.scenario,
    calls: lab.calls,
    starter: lab.starter,
  };
}

type PositionOf = (path: (string | number)[]) => SourcePosition;

/**
 * Reads `<labDir>/policy-lab.yaml` and reports every problem an author can fix
 * there, at its line and column: the YAML and its fields, calls that name an
 * action, resource or context key the simulator does not know, a starter or
 * solution the simulator cannot read (at the policy's own line, inside the
 * YAML block), a starter that already meets the goal, and a solution that
 * does not. The lab is returned only when there is no problem.
 */
export function readPolicyLab(
  labDir: string,
  moduleSlug: string,
  slug: string,
  relative: (absolute: string) => string,
): { lab: PolicyLabDefinition | undefined; problems: ContentProblem[] } {
  const yamlPath = path.join(labDir, POLICY_LAB_FILE);
  const file = relative(yamlPath);
  if (!existsSync(yamlPath))
    return {
      lab: undefined,
      problems: [
        {
          file: relative(labDir),
          line: 1,
          column: 1,
          message: `A policy lab needs ${file}: create it (see "PolicyLab" in docs/authoring.md) or fix the lab's name.`,
        },
      ],
    };
  const source = readFileSync(yamlPath, 'utf8');
  const parsed = parseYamlWithSchema(source, policyLabFileSchema, file);
  if (!parsed.value) return { lab: undefined, problems: parsed.problems };
  const spec = parsed.value;
  const problems: ContentProblem[] = [];

  checkContext(spec.context, ['context'], parsed.positionOf, problems);
  const calls: PolicyLabCall[] = spec.calls.map((call, index) => {
    checkCall(call, index, parsed.positionOf, problems);
    checkContext(call.context, ['calls', index, 'context'], parsed.positionOf, problems);
    return { ...call, context: { ...spec.context, ...call.context } };
  });
  if (!calls.some((call) => call.needed) || calls.every((call) => call.needed))
    problems.push({
      ...parsed.positionOf(['calls']),
      message:
        'List at least one call with needed: true (the function makes it) and one with needed: false (it must be denied); the goal needs both.',
    });
  const seen = new Map<string, number>();
  for (const [index, call] of calls.entries()) {
    const key = JSON.stringify([call.action.toLowerCase(), call.resource, call.context]);
    const first = seen.get(key);
    if (first !== undefined)
      problems.push({
        ...parsed.positionOf(['calls', index]),
        message: `This call is the same as call ${first + 1} (action, resource and context): remove one.`,
      });
    else seen.set(key, index);
  }

  const policiesReadable = [
    checkPolicyText('starter', spec, source, parsed.positionOf, problems),
    checkPolicyText('solution', spec, source, parsed.positionOf, problems),
  ].every(Boolean);
  // The goal is proved only on a lab whose calls and policies are sound, so its messages are about the goal.
  if (problems.length === 0 && policiesReadable) {
    const starter = checkPolicyLab({ calls }, spec.starter);
    if (starter.goal.met)
      problems.push({
        ...parsed.positionOf(['starter']),
        message:
          'The starter already meets the goal, so the lab is done before the learner begins: make it grant more than the function needs, or less.',
      });
    const solution = checkPolicyLab({ calls }, spec.solution);
    if (!solution.goal.met) {
      const firstMiss = solution.outcomes.find((outcome) => !outcome.meetsGoal);
      problems.push({
        ...parsed.positionOf(['solution']),
        message: `The solution does not meet the goal. ${solution.goal.summary}${firstMiss ? ` "${firstMiss.call.title}": ${firstMiss.result.summary}` : ''}`,
      });
    }
  }

  const lab: PolicyLabDefinition = {
    id: `${moduleSlug}/${slug}`,
    moduleSlug,
    slug,
    title: spec.title,
    scenario: spec.scenario.trim(),
    calls,
    starter: spec.starter,
    solution: spec.solution,
    file,
  };
  return { lab: problems.length === 0 ? lab : undefined, problems };
}

function checkCall(
  call: PolicyLabFile['calls'][number],
  index: number,
  positionOf: PositionOf,
  problems: ContentProblem[],
): void {
  const spelled = knownAction(call.action);
  if (!spelled)
    problems.push({
      ...positionOf(['calls', index, 'action']),
      message: `"${call.action}" is not in the course's action list (ACTION_CATALOG in lib/iam/contract.ts): fix the spelling, or add the action there after checking the Service Authorization Reference.`,
    });
  else if (spelled !== call.action)
    problems.push({
      ...positionOf(['calls', index, 'action']),
      message: `Write the action as AWS spells it: "${spelled}".`,
    });

  const parts = call.resource.split(':');
  if (call.resource.startsWith('arn:') && parts.length >= 6 && !/[*?]/.test(call.resource)) {
    const service = call.action.split(':')[0]?.toLowerCase();
    if (spelled && parts[2] !== service)
      problems.push({
        ...positionOf(['calls', index, 'resource']),
        message: `This is a ${parts[2]} ARN, but ${call.action} is an action of ${service}: a call acts on its own service's resources.`,
      });
  } else
    problems.push({
      ...positionOf(['calls', index, 'resource']),
      message: `"${call.resource}" must be the full ARN of one resource (arn:partition:service:region:account:resource), without wildcards: a request names what it acts on.`,
    });
}

function checkContext(
  context: Record<string, string>,
  at: (string | number)[],
  positionOf: PositionOf,
  problems: ContentProblem[],
): void {
  for (const [key, value] of Object.entries(context)) {
    const type = conditionKeyType(key);
    const where = positionOf([...at, key]);
    if (!type)
      problems.push({
        ...where,
        message: `"${key}" is not a condition key the simulator supplies; the keys are listed under "PolicyLab" in docs/authoring.md (CONDITION_KEYS in lib/iam/contract.ts).`,
      });
    else if (type === 'bool' && value !== 'true' && value !== 'false')
      problems.push({ ...where, message: `${key} is true or false, not "${value}".` });
    else if (type === 'arn' && (!value.startsWith('arn:') || value.split(':').length < 6))
      problems.push({
        ...where,
        message: `${key} is an ARN (arn:partition:service:region:account:resource), not "${value}".`,
      });
  }
}

/**
 * Reports the starter's or the solution's policy problems at their place in
 * the YAML file. A block scalar (`starter: |`) keeps the policy's lines, so a
 * JSON line and column map to the file; any other scalar is reported at its key.
 * Returns whether the policy is one the simulator can evaluate.
 */
function checkPolicyText(
  element: 'starter' | 'solution',
  spec: PolicyLabFile,
  source: string,
  positionOf: PositionOf,
  problems: ContentProblem[],
): boolean {
  const policy = parsePolicy(spec[element]);
  // A starter grants too much on purpose; a reference answer should be clean.
  const reported = policy.problems.filter(
    (p) => element === 'solution' || p.severity !== 'warning',
  );
  const where = positionOf([element]);
  const lines = source.split(/\r?\n/);
  const indicator = lines[where.line - 1]?.[where.column - 1];
  const indent =
    indicator === '|'
      ? (lines
          .slice(where.line)
          .find((line) => line.trim() !== '')
          ?.match(/^ */)?.[0].length ?? 0)
      : undefined;
  const placed = (problem: PolicyProblem): SourcePosition =>
    indent === undefined
      ? where
      : { file: where.file, line: where.line + problem.line, column: indent + problem.column };
  for (const problem of reported) {
    const place =
      indent === undefined ? ` (line ${problem.line}, column ${problem.column} of the policy)` : '';
    const kind = problem.severity === 'unsupported' ? 'the simulator cannot evaluate this: ' : '';
    const message = problem.message.replace(/^The /, 'the ');
    problems.push({ ...placed(problem), message: `In the ${element}${place}, ${kind}${message}` });
  }
  return policy.problems.every((p) => p.severity === 'warning');
}

/**
 * The policy labs a module's lessons show (`<PolicyLab id>`), from
 * `<moduleDir>/labs/<id>/policy-lab.yaml`, by the same rules as code labs:
 * each shown by one lesson, each present, none left unshown.
 */
export function readModulePolicyLabs(
  moduleDir: string,
  sites: readonly ShownLabSite[],
  relative: (absolute: string) => string,
): { labs: PolicyLabDefinition[]; problems: ContentProblem[] } {
  return readShownLabs({
    moduleDir,
    sites,
    fileName: POLICY_LAB_FILE,
    tagOf: (target) => `<PolicyLab id="${target}">`,
    isKind: (folder) => existsSync(path.join(moduleDir, 'labs', folder, POLICY_LAB_FILE)),
    read: (labDir, site) => readPolicyLab(labDir, site.moduleSlug, site.target, relative),
    relative,
  });
}
