import { createHash } from 'node:crypto';
import type { ContentProblem } from '../authoring/problems';
import {
  createCodeArchive,
  LambdaError,
  type InvocationRecord,
  type InvokeResult,
  type LambdaService,
} from '../lambda';
import { runChecks, type CheckResult, type RunInvocation } from './checks';
import type { LabBurstResult, LabSourceFile } from './contract';
import type { LabDefinition } from './lab-loader';
import { LAYER_PREFIX } from './lab-schema';

/**
 * The Lambda functions a lab deploys to, and what it does with them: Run,
 * Burst and an exercise's checks. Everything goes through LambdaService's
 * public methods, as any deployment tool would: a lab's files become a
 * function (and, for files under layer/, a layer version) in the learner's
 * workspace.
 */

/** What a lab deploys: the lab's runtime and handler, the learner's (or a check's) settings, the files. */
export interface LabDeployment {
  runtime: LabDefinition['runtime'];
  handler: string;
  memoryMb: number;
  timeoutS: number;
  environment: Record<string, string>;
  files: readonly LabSourceFile[];
}

/** The function a lab's Run and Burst deploy to. */
export function labFunctionName(lab: Pick<LabDefinition, 'moduleSlug' | 'slug'>): string {
  return `lab-${lab.moduleSlug}-${lab.slug}`.slice(0, 64);
}

/** The function a learner's checks run as: apart from the lab's own, so a check never disturbs the learner's warm environment. */
export function checkFunctionName(lab: Pick<LabDefinition, 'moduleSlug' | 'slug'>): string {
  return `check-${lab.moduleSlug}-${lab.slug}`.slice(0, 64);
}

/** The layer a lab's layer/ files are published as. */
function labLayerName(functionName: string): string {
  return `${functionName.slice(0, 58)}-layer`;
}

/**
 * Creates the lab's function or brings its code, layer and settings up to
 * date; a change means a new revision, so the next call is cold, as on Lambda.
 * Each file set is zipped once.
 */
export async function deployLab(
  lambda: LambdaService,
  workspaceId: string,
  functionName: string,
  deployment: LabDeployment,
): Promise<void> {
  const code = deployment.files.filter((f) => !f.path.startsWith(LAYER_PREFIX));
  const layerFiles = deployment.files
    .filter((f) => f.path.startsWith(LAYER_PREFIX))
    .map((f) => ({ path: f.path.slice(LAYER_PREFIX.length), content: f.content }));
  if (code.length === 0)
    throw new LambdaError(
      'InvalidParameterValueException',
      400,
      `The lab has only ${LAYER_PREFIX} files; it needs the function's own code too.`,
    );
  const layers =
    layerFiles.length > 0
      ? [await labLayerArn(lambda, workspaceId, functionName, deployment.runtime, layerFiles)]
      : [];
  await lambda.deploy(workspaceId, {
    name: functionName,
    runtime: deployment.runtime,
    handler: deployment.handler,
    memoryMb: deployment.memoryMb,
    timeoutS: deployment.timeoutS,
    environment: deployment.environment,
    layers,
    zip: createCodeArchive(code.map((f) => ({ path: f.path, content: f.content }))),
  });
  if (layers.length > 0) await lambda.pruneLayerVersions(workspaceId, labLayerName(functionName));
}

/** The lab's layer: the newest version if its files are unchanged, else a newly published one. */
async function labLayerArn(
  lambda: LambdaService,
  workspaceId: string,
  functionName: string,
  runtime: LabDefinition['runtime'],
  files: { path: string; content: string }[],
): Promise<string> {
  const layerName = labLayerName(functionName);
  const zip = createCodeArchive(files);
  const sha = createHash('sha256').update(zip).digest('base64');
  // ListLayerVersions answers newest first.
  const [newest] = await lambda.listLayerVersions(workspaceId, layerName);
  if (newest?.Content.CodeSha256 === sha) return newest.LayerVersionArn;
  return (
    await lambda.publishLayerZip(
      workspaceId,
      { LayerName: layerName, Description: 'Code-lab layer', CompatibleRuntimes: [runtime] },
      zip,
    )
  ).LayerVersionArn;
}

/** Run: deploys, optionally ends the function's idle environments first (so the call is cold), then invokes it synchronously. */
export async function runLab(
  lambda: LambdaService,
  workspaceId: string,
  functionName: string,
  deployment: LabDeployment,
  event: unknown,
  newEnvironment: boolean,
): Promise<InvokeResult> {
  await deployLab(lambda, workspaceId, functionName, deployment);
  if (newEnvironment) await lambda.resetEnvironments(workspaceId, functionName);
  return lambda.invoke(workspaceId, functionName, Buffer.from(JSON.stringify(event ?? {})));
}

/**
 * Burst: deploys like Run, then fires `count` invocations at once, under a
 * reserved concurrency for the burst's length if one is given (the function's
 * own setting is put back afterwards). Throttles are counted as a caller sees
 * them (429s: reserved concurrency, or the workspace's concurrency limit).
 * Calls the course server had no room for (503, "course busy") are counted
 * apart and never as throttles, and so are calls that ran after waiting their
 * turn for room.
 */
export async function burstLab(
  lambda: LambdaService,
  workspaceId: string,
  functionName: string,
  deployment: LabDeployment,
  burst: {
    count: number;
    reservedConcurrency: number | null;
    event: unknown;
    newEnvironment: boolean;
  },
): Promise<LabBurstResult> {
  await deployLab(lambda, workspaceId, functionName, deployment);
  if (burst.newEnvironment) await lambda.resetEnvironments(workspaceId, functionName);
  const before = (await lambda.getFunction(workspaceId, functionName)).definition
    .ReservedConcurrentExecutions;
  if (burst.reservedConcurrency !== null)
    await lambda.putFunctionConcurrency(workspaceId, functionName, {
      ReservedConcurrentExecutions: burst.reservedConcurrency,
    });
  try {
    const payload = Buffer.from(JSON.stringify(burst.event ?? {}));
    const outcomes = await Promise.allSettled(
      Array.from({ length: burst.count }, () => lambda.invoke(workspaceId, functionName, payload)),
    );
    const invocations: InvocationRecord[] = [];
    const throttleMessages = new Set<string>();
    const serverBusyMessages = new Set<string>();
    let throttled = 0;
    let serverBusy = 0;
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') invocations.push(outcome.value.record);
      else if (outcome.reason instanceof LambdaError && outcome.reason.status === 429) {
        throttled += 1;
        throttleMessages.add(
          outcome.reason.reason
            ? `${outcome.reason.reason}: ${outcome.reason.message}`
            : outcome.reason.message,
        );
      } else if (outcome.reason instanceof LambdaError && outcome.reason.status === 503) {
        serverBusy += 1;
        serverBusyMessages.add(outcome.reason.message);
      } else throw outcome.reason;
    }
    const reports = invocations.flatMap((record) => (record.report ? [record.report] : []));
    const waits = reports.flatMap((r) => (r.courseWaitMs === undefined ? [] : [r.courseWaitMs]));
    return {
      invocations: invocations.map(({ requestId, errorType, report }) => ({
        requestId,
        errorType,
        report,
      })),
      throttled,
      throttleMessages: [...throttleMessages],
      serverBusy,
      serverBusyMessages: [...serverBusyMessages],
      waitedForServer: waits.length,
      longestServerWaitMs: Math.max(0, ...waits),
      coldStarts: reports.filter((r) => r.coldStart).length,
      environments: new Set(reports.map((r) => r.environmentId)).size,
    };
  } finally {
    if (burst.reservedConcurrency !== null) {
      if (before === undefined) await lambda.deleteFunctionConcurrency(workspaceId, functionName);
      else
        await lambda.putFunctionConcurrency(workspaceId, functionName, {
          ReservedConcurrentExecutions: before,
        });
    }
  }
}

/**
 * Runs a lab's code for its checks. Checks use the lab's own settings
 * (lab.yaml) under each check's overrides, never the learner's edits: changing
 * the memory in the settings panel must not make a check pass or fail.
 */
export function labInvoker(
  lambda: LambdaService,
  workspaceId: string,
  functionName: string,
  lab: LabDefinition,
  files: readonly LabSourceFile[],
): RunInvocation {
  return async (event, settings, fresh) => {
    const deployment = {
      runtime: lab.runtime,
      handler: lab.handler,
      memoryMb: settings.memoryMb ?? lab.memoryMb,
      timeoutS: settings.timeoutS ?? lab.timeoutS,
      environment: { ...lab.environment, ...settings.environment },
      files,
    };
    const result = await runLab(lambda, workspaceId, functionName, deployment, event, fresh);
    const { record } = result;
    if (!record.report) throw new Error(`The run of ${functionName} produced no report`);
    return {
      payload: result.payload,
      errorType: record.errorType,
      log: record.log ?? '',
      report: record.report,
    };
  };
}

export async function checkLab(
  lambda: LambdaService,
  workspaceId: string,
  lab: LabDefinition,
  files: readonly LabSourceFile[],
): Promise<CheckResult[]> {
  if (!lab.exercise) return [];
  return runChecks(
    lab.exercise.checks,
    labInvoker(lambda, workspaceId, checkFunctionName(lab), lab, files),
  );
}

/**
 * Proves an exercise before learners see it: the reference solution must pass
 * every check, and the starter must fail at least one (else the exercise is
 * done before the learner starts).
 */
export async function proveExercise(
  lambda: LambdaService,
  lab: LabDefinition,
): Promise<ContentProblem[]> {
  if (!lab.exercise || !lab.solution) return [];
  const at = { file: lab.file, line: 1, column: 1 };
  const problems: ContentProblem[] = [];
  const solution = await checkLab(lambda, 'content-check', lab, lab.solution);
  for (const failed of solution.filter((r) => !r.passed)) {
    problems.push({
      ...at,
      message: `The solution fails the check "${failed.title}": ${failed.message}`,
    });
  }
  const starter = await checkLab(lambda, 'content-check', lab, lab.files);
  if (starter.every((r) => r.passed)) {
    problems.push({
      ...at,
      message:
        'The starter already passes every check, so the exercise is done before the learner begins: make the starter fall short, or the checks stricter.',
    });
    return problems;
  }
  // A check the starter passes tests nothing the learner does, unless the author says it guards what must keep working.
  for (const [index, result] of starter.entries()) {
    const check = lab.exercise.checks[index];
    if (result.passed && check && !check.keepsWorking) {
      problems.push({
        ...at,
        message: `The check "${check.title}" passes on the starter, so it tests nothing the learner does: make it fail on the starter, or mark it \`keepsWorking: true\` if it guards behaviour the learner must not break.`,
      });
    }
  }
  return problems;
}
