import { z } from 'zod';

/**
 * The course format. Each schema is the documentation, the validation and the
 * type of one file an author writes; docs/authoring.md mirrors these fields.
 */

/** A slug: lower-case letters, digits and single hyphens, as used in URLs and file names. */
export const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'must be kebab-case: lower-case letters, digits and hyphens',
  );

/** `content/course.yaml`: the course and the order of its modules. */
export const courseFileSchema = z
  .object({
    title: z
      .string()
      .min(1)
      .max(80)
      .describe('The course title, shown in the header and on the home page.'),
    summary: z
      .string()
      .min(1)
      .max(300)
      .describe('One or two sentences shown under the title on the home page.'),
    modules: z
      .array(slugSchema)
      .min(1)
      .describe('Module folder names under content/, in the order learners take them.'),
  })
  .strict();
export type CourseFile = z.infer<typeof courseFileSchema>;

/** `content/<module>/module.yaml`: one module and the order of its lessons. */
export const moduleFileSchema = z
  .object({
    title: z.string().min(1).max(80).describe('The module title, e.g. "Hosting".'),
    summary: z.string().min(1).max(200).describe('One sentence saying what the module covers.'),
    lessons: z
      .array(slugSchema)
      .min(1)
      .describe(
        'Lesson file names in this folder, without ".mdx", in the order learners read them.',
      ),
  })
  .strict();
export type ModuleFile = z.infer<typeof moduleFileSchema>;

/** A reference listed at the end of a lesson. */
export const referenceSchema = z
  .object({
    title: z.string().min(1).max(200).describe('The page title as the reader will see it.'),
    url: z
      .url({ protocol: /^https$/, error: 'must be an https:// URL' })
      .describe('Where the page lives, usually docs.aws.amazon.com or aws.amazon.com.'),
  })
  .strict();

/** The YAML frontmatter at the top of every lesson `.mdx` file. */
export const lessonFrontmatterSchema = z
  .object({
    title: z
      .string()
      .min(1)
      .max(80)
      .describe('The lesson title; the page renders it as the only h1.'),
    summary: z
      .string()
      .min(1)
      .max(200)
      .describe(
        'One sentence shown on the course home, in the module list and as the page description.',
      ),
    objectives: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(6)
      .describe(
        'What the learner can do afterwards; each completes "By the end of this lesson you can …".',
      ),
    minutes: z
      .number()
      .int('must be a whole number of minutes')
      .min(1)
      .max(120)
      .describe('Estimated minutes to read the lesson and do its activities.'),
    references: z
      .array(referenceSchema)
      .min(1, 'list at least one reference, usually the AWS documentation the lesson is based on')
      .describe('Sources for the facts in the lesson, rendered as the References section.'),
  })
  .strict();
export type LessonFrontmatter = z.infer<typeof lessonFrontmatterSchema>;
