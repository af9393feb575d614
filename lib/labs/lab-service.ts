import type { z } from 'zod';
import type { InvocationHistoryPage, LambdaService } from '../lambda';
import { InvalidProgressError, NotInCourseError, type ProgressService } from '../learner';
import type { ProgressStore } from '../store';
import {
  labSaveRequestSchema,
  type labBurstRequestSchema,
  type LabBurstResult,
  type LabCheckResponse,
  type labRunRequestSchema,
  type LabRunResult,
  type LabSaveResponse,
} from './contract';
import { burstLab, checkLab, labFunctionName, runLab, type LabDeployment } from './lab-functions';
import type { LabSourceFile } from './contract';
import type { LabDefinition } from './lab-loader';

/**
 * Everything a learner does with a lab: Run and Burst it (as the lab's own
 * function in their workspace), see its recent invocations, keep their own copy
 * (autosave and reset), run the exercise's checks (which mark the exercise
 * done when all pass) and see the reference solution. Requests arrive parsed
 * against lib/labs/contract.ts.
 */
export class LabService {
  constructor(
    /** The course's labs, by id (`<module>/<lab>`). */
    private readonly labs: ReadonlyMap<string, LabDefinition>,
    private readonly store: ProgressStore,
    private readonly lambda: LambdaService,
    private readonly progress: ProgressService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  requireLab(labId: string): LabDefinition {
    const lab = this.labs.get(labId);
    if (!lab) throw new NotInCourseError(`The course has no lab "${labId}".`);
    return lab;
  }

  /** Run: the lab's runtime and handler, the learner's files and settings. */
  async run(
    learnerId: string,
    labId: string,
    request: z.output<typeof labRunRequestSchema>,
  ): Promise<LabRunResult & { functionName: string }> {
    const lab = this.requireLab(labId);
    this.requireLabFiles(lab, request.files);
    const functionName = labFunctionName(lab);
    const result = await runLab(
      this.lambda,
      learnerId,
      functionName,
      deploymentOf(lab, request),
      request.event,
      request.newEnvironment,
    );
    const { requestId, errorType, log, report } = result.record;
    return { functionName, requestId, payload: result.payload, errorType, log, report };
  }

  async burst(
    learnerId: string,
    labId: string,
    request: z.output<typeof labBurstRequestSchema>,
  ): Promise<LabBurstResult> {
    const lab = this.requireLab(labId);
    this.requireLabFiles(lab, request.files);
    return burstLab(
      this.lambda,
      learnerId,
      labFunctionName(lab),
      deploymentOf(lab, request),
      request,
    );
  }

  /** The lab function's recent invocations, newest first; none before its first run. `query` is the history API's (limit, cursor). */
  async history(learnerId: string, labId: string, query: unknown): Promise<InvocationHistoryPage> {
    const lab = this.requireLab(labId);
    const functionName = labFunctionName(lab);
    if (!(await this.lambda.hasFunction(learnerId, functionName)))
      return { invocations: [], nextCursor: undefined };
    return this.lambda.invocationHistory(learnerId, functionName, query);
  }

  async getSave(learnerId: string, labId: string): Promise<LabSaveResponse | null> {
    const lab = this.requireLab(labId);
    const saved = await this.store.getLabSave(learnerId, labId);
    if (!saved) return null;
    const parsed = labSaveRequestSchema.safeParse(parseStored(saved.files, saved.settings));
    // A save from before the lab's files changed no longer fits: start again from the starter rather than show a broken lab.
    if (!parsed.success || !sameFileSet(parsed.data.files, lab.files)) return null;
    return { ...parsed.data, savedAt: saved.savedAt };
  }

  async save(
    learnerId: string,
    labId: string,
    request: z.infer<typeof labSaveRequestSchema>,
  ): Promise<{ savedAt: string }> {
    const lab = this.requireLab(labId);
    this.requireLabFiles(lab, request.files);
    const now = this.clock();
    await this.store.saveLab(
      learnerId,
      labId,
      { files: JSON.stringify(request.files), settings: JSON.stringify(request.settings) },
      now,
    );
    return { savedAt: now.toISOString() };
  }

  async reset(learnerId: string, labId: string): Promise<void> {
    this.requireLab(labId);
    await this.store.deleteLabSave(learnerId, labId);
  }

  async check(learnerId: string, labId: string, files: LabSourceFile[]): Promise<LabCheckResponse> {
    const lab = this.requireLab(labId);
    if (!lab.exercise)
      throw new InvalidProgressError(`The lab "${labId}" is not an exercise: it has no checks.`);
    this.requireLabFiles(lab, files);
    const results = await checkLab(this.lambda, learnerId, lab, files);
    const passed = results.every((r) => r.passed);
    if (passed) await this.progress.recordExercisePassed(learnerId, labId);
    return { results, passed };
  }

  solution(labId: string): LabSourceFile[] {
    const lab = this.requireLab(labId);
    if (!lab.solution) throw new NotInCourseError(`The lab "${labId}" has no solution to show.`);
    return lab.solution;
  }

  /** A learner edits the lab's files; they cannot add, drop or rename them (the handler and checks depend on them). */
  private requireLabFiles(lab: LabDefinition, files: readonly LabSourceFile[]): void {
    if (!sameFileSet(files, lab.files)) {
      throw new InvalidProgressError(
        `The lab "${lab.id}" has the files ${lab.files.map((f) => f.path).join(', ')}; send exactly those.`,
      );
    }
  }
}

/** What a Run or Burst deploys: the lab's runtime and handler, the learner's settings and files. */
function deploymentOf(
  lab: LabDefinition,
  request: z.output<typeof labRunRequestSchema>,
): LabDeployment {
  return {
    runtime: lab.runtime,
    handler: lab.handler,
    memoryMb: request.memoryMb,
    timeoutS: request.timeoutS,
    environment: request.environment,
    files: request.files,
  };
}

/** A stored save as JSON; a corrupt row reads as nothing rather than breaking the lab. */
function parseStored(files: string, settings: string): unknown {
  try {
    return { files: JSON.parse(files) as unknown, settings: JSON.parse(settings) as unknown };
  } catch {
    return undefined;
  }
}

function sameFileSet(a: readonly { path: string }[], b: readonly { path: string }[]): boolean {
  const paths = new Set(a.map((f) => f.path));
  return paths.size === a.length && a.length === b.length && b.every((f) => paths.has(f.path));
}
