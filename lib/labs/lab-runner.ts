import type { ContentProblem } from '../content/problems';
import type { LambdaService } from '../lambda/lambda-service';
import { runChecks, type CheckResult, type RunInvocation } from './checks';
import type { LabDefinition, LabSourceFile } from './lab-loader';

/**
 * Runs a lab's code through the Lambda service, as the function the learner's
 * lab deploys to. Checks use the lab's own settings (lab.yaml) under each
 * check's overrides, never the learner's edits: changing the memory in the
 * settings panel must not make a check pass or fail.
 */
export function labInvoker(service: LambdaService, workspaceId: string, functionName: string, lab: LabDefinition, files: readonly LabSourceFile[]): RunInvocation {
  return async (event, settings, fresh) => {
    const { result } = await service.deployAndInvoke(workspaceId, functionName, {
      runtime: lab.runtime,
      handler: lab.handler,
      memoryMb: settings.memoryMb ?? lab.memoryMb,
      timeoutS: settings.timeoutS ?? lab.timeoutS,
      environment: { ...lab.environment, ...settings.environment },
      files: files.map((f) => ({ path: f.path, content: f.content })),
      event,
      newEnvironment: fresh,
    });
    const { record } = result;
    if (!record.report) throw new Error(`The run of ${functionName} produced no report`);
    return { payload: result.payload, errorType: record.errorType, log: record.log ?? '', report: record.report };
  };
}

/** The function a learner's checks run as: apart from the lab's own, so a check never disturbs the learner's warm environment. */
export function checkFunctionName(lab: LabDefinition): string {
  return `check-${lab.moduleSlug}-${lab.slug}`.slice(0, 64);
}

/** The function a lab's Run button deploys to. */
export function labFunctionName(lab: Pick<LabDefinition, 'moduleSlug' | 'slug'>): string {
  return `lab-${lab.moduleSlug}-${lab.slug}`.slice(0, 64);
}

export async function checkLab(service: LambdaService, workspaceId: string, lab: LabDefinition, files: readonly LabSourceFile[]): Promise<CheckResult[]> {
  if (!lab.exercise) return [];
  return runChecks(lab.exercise.checks, labInvoker(service, workspaceId, checkFunctionName(lab), lab, files));
}

/**
 * Proves an exercise before learners see it: the reference solution must pass
 * every check, and the starter must fail at least one (else the exercise is
 * done before the learner starts).
 */
export async function proveExercise(service: LambdaService, lab: LabDefinition): Promise<ContentProblem[]> {
  if (!lab.exercise || !lab.solution) return [];
  const at = { file: lab.file, line: 1, column: 1 };
  const problems: ContentProblem[] = [];
  const solution = await checkLab(service, 'content-check', lab, lab.solution);
  for (const failed of solution.filter((r) => !r.passed)) {
    problems.push({ ...at, message: `The solution fails the check "${failed.title}": ${failed.message}` });
  }
  const starter = await checkLab(service, 'content-check', lab, lab.files);
  if (starter.every((r) => r.passed)) {
    problems.push({ ...at, message: 'The starter already passes every check, so the exercise is done before the learner begins: make the starter fall short, or the checks stricter.' });
  }
  return problems;
}
