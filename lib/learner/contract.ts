import { z } from 'zod';

/**
 * The progress API's contract between the browser and the server: the
 * requests /api/progress/* accept (zod, parsed once by the route) and the
 * progress they answer with. Safe in a browser (zod and type-only imports).
 */

export type { CompletedLesson, LastLesson, LearnerProgress, QuizAnswer } from '../store';

/** A lesson id as the API takes it: `<module>/<lesson>`. */
export const lessonIdSchema = z
  .string()
  .regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'must be "<module>/<lesson>", e.g. "hosting/welcome"');

export const completionRequestSchema = z
  .object({ lessonId: lessonIdSchema, completed: z.boolean() })
  .strict();

export const visitRequestSchema = z.object({ lessonId: lessonIdSchema }).strict();

export const quizAnswerRequestSchema = z
  .object({
    lessonId: lessonIdSchema,
    quizId: z.string().min(1).max(100),
    selected: z.array(z.number().int().min(0)).min(1, 'select at least one choice').max(50),
  })
  .strict();
export type QuizAnswerRequest = z.infer<typeof quizAnswerRequestSchema>;

/** The name and version written into every export, so imports know what they read. */
export const PROGRESS_EXPORT_FORMAT = 'serverless-course-progress';
export const PROGRESS_EXPORT_VERSION = 1;

const isoDateSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

/** A progress export file: what the learner downloads and imports elsewhere. */
export const progressExportSchema = z
  .object({
    format: z.literal(PROGRESS_EXPORT_FORMAT, {
      error: `"format" must be "${PROGRESS_EXPORT_FORMAT}": is this a course progress file?`,
    }),
    version: z.literal(PROGRESS_EXPORT_VERSION, {
      error: `"version" must be ${PROGRESS_EXPORT_VERSION}; this file comes from an unsupported version of the course`,
    }),
    exportedAt: isoDateSchema,
    progress: z
      .object({
        completedLessons: z
          .array(z.object({ lessonId: lessonIdSchema, completedAt: isoDateSchema }).strict())
          .max(1000),
        quizAnswers: z
          .array(
            z
              .object({
                lessonId: lessonIdSchema,
                quizId: z.string().min(1).max(100),
                selected: z.array(z.number().int().min(0)).min(1).max(50),
                correct: z.boolean(),
                answeredAt: isoDateSchema,
              })
              .strict(),
          )
          .max(5000),
        passedExercises: z
          .array(z.object({ labId: lessonIdSchema, passedAt: isoDateSchema }).strict())
          .max(1000)
          .default([])
          .describe('Exercises whose checks all passed; absent in files from before code labs.'),
        lastLesson: z
          .object({ lessonId: lessonIdSchema, visitedAt: isoDateSchema })
          .strict()
          .nullable(),
      })
      .strict(),
  })
  .strict();
export type ProgressExport = z.infer<typeof progressExportSchema>;
