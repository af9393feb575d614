import { z } from 'zod';
import type { Course } from '../content';
import type { LambdaService } from '../lambda/lambda-service';
import type { ProgressService } from '../learner/progress-service';
import { NotInCourseError, InvalidProgressError } from '../learner/progress-service';
import type { ProgressStore } from '../store';
import type { CheckResult } from './checks';
import { checkLab } from './lab-runner';
import { ENVIRONMENT_NAME_PATTERN, LAB_LIMITS } from './lab-settings';
import type { LabDefinition, LabSourceFile } from './lab-loader';

/** The largest file a learner may save or check: the same as the run API's. */
export const MAX_LEARNER_FILE_BYTES = 512 * 1024;

const learnerFilesSchema = z
  .array(z.object({ path: z.string().min(1).max(200), content: z.string().max(MAX_LEARNER_FILE_BYTES, 'a file may hold at most 512 KB') }).strict())
  .min(1)
  .max(10);

/** What a learner can change in a lab besides the code; saved with it. */
export const labSettingsSchema = z
  .object({
    memoryMb: z.number().int().min(LAB_LIMITS.memoryMb.min, 'memory is at least 128 MB').max(LAB_LIMITS.memoryMb.max, 'memory is at most 10,240 MB'),
    timeoutS: z.number().int().min(LAB_LIMITS.timeoutS.min, 'the timeout is at least 1 second').max(LAB_LIMITS.timeoutS.max, 'the timeout is at most 900 seconds'),
    environment: z.record(z.string().regex(ENVIRONMENT_NAME_PATTERN, 'environment variable names are letters, digits and _, starting with a letter').max(128), z.string().max(4096)),
    /** The event editor's text as typed, so a half-edited event survives a reload too. */
    eventText: z.string().max(256 * 1024),
  })
  .strict();
export type LabSettings = z.infer<typeof labSettingsSchema>;

export const labSaveRequestSchema = z.object({ files: learnerFilesSchema, settings: labSettingsSchema }).strict();
export const labCheckRequestSchema = z.object({ files: learnerFilesSchema }).strict();

export interface LabSaveResponse {
  files: LabSourceFile[];
  settings: LabSettings;
  savedAt: string;
}

export interface CheckResponse {
  results: CheckResult[];
  passed: boolean;
}

/**
 * What learners do with labs beyond Run: keep their own copy (autosave and
 * reset), run the exercise's checks, which mark the exercise done when all
 * pass, and see the reference solution.
 */
export class LabService {
  constructor(
    private readonly course: Course,
    private readonly store: ProgressStore,
    private readonly lambda: LambdaService,
    private readonly progress: ProgressService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  requireLab(labId: string): LabDefinition {
    const lab = this.course.labs.get(labId);
    if (!lab) throw new NotInCourseError(`The course has no lab "${labId}".`);
    return lab;
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

  async save(learnerId: string, labId: string, request: z.infer<typeof labSaveRequestSchema>): Promise<{ savedAt: string }> {
    const lab = this.requireLab(labId);
    this.requireLabFiles(lab, request.files);
    const now = this.clock();
    await this.store.saveLab(learnerId, labId, { files: JSON.stringify(request.files), settings: JSON.stringify(request.settings) }, now);
    return { savedAt: now.toISOString() };
  }

  async reset(learnerId: string, labId: string): Promise<void> {
    this.requireLab(labId);
    await this.store.deleteLabSave(learnerId, labId);
  }

  async check(learnerId: string, labId: string, files: LabSourceFile[]): Promise<CheckResponse> {
    const lab = this.requireLab(labId);
    if (!lab.exercise) throw new InvalidProgressError(`The lab "${labId}" is not an exercise: it has no checks.`);
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
      throw new InvalidProgressError(`The lab "${lab.id}" has the files ${lab.files.map((f) => f.path).join(', ')}; send exactly those.`);
    }
  }
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
