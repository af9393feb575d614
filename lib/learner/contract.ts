import { z } from 'zod';
import { labSaveRequestSchema, labSettingsSchema } from '../labs/contract';

/**
 * The progress API's contract between the browser and the server: the
 * requests /api/progress/* accept (zod, parsed once by the route) and the
 * progress they answer with. Safe in a browser (zod and type-only imports).
 */

export type { CompletedLesson, LastLesson, LearnerProgress, QuizAnswer } from '../store';

/** A lesson's or a lab's id: `<module>/<lesson>` or `<module>/<lab>`. */
const ITEM_ID_PATTERN = /^[a-z0-9-]+\/[a-z0-9-]+$/;

/** A lesson id as the API takes it: `<module>/<lesson>`. */
export const lessonIdSchema = z
  .string()
  .regex(ITEM_ID_PATTERN, 'must be "<module>/<lesson>", e.g. "hosting/welcome"');

export const completionRequestSchema = z
  .object({ lessonId: lessonIdSchema, completed: z.boolean() })
  .strict();

export const visitRequestSchema = z.object({ lessonId: lessonIdSchema }).strict();

/** A quiz id as the API takes it: the `id` a lesson gives its <Quiz>. */
const quizIdSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'is missing (the quiz\'s id, e.g. "pick-one")'
        : 'must be text (the quiz\'s id, e.g. "pick-one")',
  })
  .max(100, 'must be at most 100 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a quiz id in kebab-case, e.g. "pick-one"');

/** One quiz of one lesson: `GET /api/progress/quiz-answers?lessonId=…&quizId=…`. */
export const quizQuerySchema = z
  .object({ lessonId: lessonIdSchema, quizId: quizIdSchema })
  .strict();
export type QuizQuery = z.infer<typeof quizQuerySchema>;

/** An answer to grade and store: `PUT /api/progress/quiz-answers`. */
export const quizAnswerRequestSchema = quizQuerySchema
  .extend({
    selected: z.array(z.number().int().min(0)).min(1, 'select at least one choice').max(50),
  })
  .strict();
export type QuizAnswerRequest = z.infer<typeof quizAnswerRequestSchema>;

/**
 * A request to see a quiz's correct choices after a wrong answer, without
 * answering again: `PATCH /api/progress/quiz-answers`. An answer once shown
 * stays shown, so `revealed` can only be true.
 */
export const quizRevealRequestSchema = quizQuerySchema
  .extend({
    revealed: z.literal(true, { error: 'must be true: send "revealed": true to see the answer' }),
  })
  .strict();
export type QuizRevealRequest = z.infer<typeof quizRevealRequestSchema>;

/**
 * The server's verdict on a learner's latest answer to one quiz. The correct
 * choices come only once the learner may see them: with a right answer, with
 * a second wrong answer in a row (the retry is used up), or after they asked
 * to see them. Until then a wrong answer gets only a hint for the retry.
 */
export type QuizAnswerResult =
  | { correct: true; correctChoices: number[] }
  | {
      correct: false;
      /** null while the answer stays hidden for the learner's retry. */
      correctChoices: number[] | null;
      /** How many choices are right: a multiple-answer quiz's hint for the retry. */
      correctCount: number;
    };

/** What `GET /api/progress/quiz-answers` answers: null before the learner's first answer. */
export interface QuizAnswerLookup {
  answer: QuizAnswerResult | null;
}

/** The name written into every export, so an import knows what it reads. */
export const PROGRESS_EXPORT_FORMAT = 'serverless-course-progress';
/**
 * The version this course writes. Version 1 held completed lessons, quiz
 * answers, passed exercises and the last lesson; version 2 adds the lab saves.
 * Every version in PROGRESS_EXPORT_VERSIONS still imports.
 */
export const PROGRESS_EXPORT_VERSION = 2;
export const PROGRESS_EXPORT_VERSIONS = [1, 2] as const;

/**
 * The most one progress file may hold. Each list is far longer than the course
 * has lessons, quizzes or labs, so the course can grow, yet bounds what a
 * hand-made file can make the server read. One lab save may be as large as the
 * labs' limits allow, but a learner's code is a few KB a lab, so 16 MB carries
 * every lab's many times over; the export refuses to write a file larger than
 * this, which could not be imported back.
 */
export const PROGRESS_FILE_LIMITS = {
  bytes: 16 * 1024 * 1024,
  completedLessons: 1000,
  passedExercises: 1000,
  quizAnswers: 5000,
  labSaves: 200,
} as const;

/** What a learner reads about a file over the size limit: from the browser before it is sent, or from the server. */
export const PROGRESS_FILE_TOO_LARGE = `This file is larger than ${PROGRESS_FILE_LIMITS.bytes / (1024 * 1024)} MB, the most a progress file may hold.`;

// The file's schemas carry no messages of their own: parseProgressFile words every
// problem itself, naming the entry at fault. The labs' schemas keep theirs ("memory is
// at least 128 MB"), which are already sentences a learner reads.
const itemIdSchema = z.string().max(200).regex(ITEM_ID_PATTERN);
const timeSchema = z.iso.datetime({ offset: true });

const progressV1Schema = z
  .object({
    completedLessons: z
      .array(z.object({ lessonId: itemIdSchema, completedAt: timeSchema }).strict())
      .max(PROGRESS_FILE_LIMITS.completedLessons),
    quizAnswers: z
      .array(
        z
          .object({
            lessonId: itemIdSchema,
            quizId: z.string().min(1).max(100),
            selected: z.array(z.number().int().min(0)).min(1).max(50),
            correct: z.boolean(),
            answeredAt: timeSchema,
          })
          .strict(),
      )
      .max(PROGRESS_FILE_LIMITS.quizAnswers),
    passedExercises: z
      .array(z.object({ labId: itemIdSchema, passedAt: timeSchema }).strict())
      .max(PROGRESS_FILE_LIMITS.passedExercises)
      .default([])
      .describe('Exercises whose checks all passed; absent in files from before code labs.'),
    lastLesson: z.object({ lessonId: itemIdSchema, visitedAt: timeSchema }).strict().nullable(),
  })
  .strict();

/** A lab save in a progress file: the labs contract's files and settings, and when they were saved. */
const exportedLabSaveSchema = z
  .object({
    labId: itemIdSchema,
    files: labSaveRequestSchema.shape.files,
    settings: labSettingsSchema,
    savedAt: timeSchema,
  })
  .strict();

/** A version-1 file: everything but the lab saves. */
export const progressExportV1Schema = z
  .object({
    format: z.literal(PROGRESS_EXPORT_FORMAT),
    version: z.literal(1),
    exportedAt: timeSchema,
    progress: progressV1Schema,
  })
  .strict();

/** A progress export as this course writes it: what the learner downloads and imports elsewhere. */
export const progressExportSchema = z
  .object({
    format: z.literal(PROGRESS_EXPORT_FORMAT),
    version: z.literal(PROGRESS_EXPORT_VERSION),
    exportedAt: timeSchema,
    progress: progressV1Schema.extend({
      labSaves: z.array(exportedLabSaveSchema).max(PROGRESS_FILE_LIMITS.labSaves),
    }),
  })
  .strict();
export type ProgressExport = z.infer<typeof progressExportSchema>;
export type ExportedLabSave = z.infer<typeof exportedLabSaveSchema>;
/** A progress file of any version this course reads. */
export type ProgressFile = z.infer<typeof progressExportV1Schema> | ProgressExport;

export type ProgressFileResult =
  { success: true; file: ProgressFile } | { success: false; message: string };

/**
 * Reads a progress file from its text: JSON, this course's format, a version
 * it reads, and every entry within its limits. A file that fails gets one
 * message a learner can act on, naming the entry at fault, e.g. `Saved lab 2
 * ("lambda/first-handler"), file "index.mjs": a file may hold at most 512 KB.`
 */
export function parseProgressFile(text: string): ProgressFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { success: false, message: 'This file is not a progress export: it is not valid JSON.' };
  }
  if (!isRecord(data) || data.format !== PROGRESS_EXPORT_FORMAT)
    return { success: false, message: 'This file is not a progress export from this course.' };
  const schema =
    data.version === 1
      ? progressExportV1Schema
      : data.version === PROGRESS_EXPORT_VERSION
        ? progressExportSchema
        : undefined;
  if (!schema) return { success: false, message: versionProblem(data.version) };
  const result = schema.safeParse(data, { error: (issue) => describeIssue(issue) });
  if (result.success) return { success: true, file: result.data };
  const [issue] = result.error.issues;
  const entry = issue && locate(issue.path, data).entry;
  const clause = (issue?.message ?? 'the file is not valid').replace(/\.$/, '');
  return { success: false, message: entry ? `${entry}: ${clause}.` : `${capitalise(clause)}.` };
}

function versionProblem(version: unknown): string {
  const reads = `this course reads versions ${joinWords(PROGRESS_EXPORT_VERSIONS.map(String))}`;
  if (version === undefined)
    return `This progress file does not say which version of the course made it; ${reads}.`;
  if (typeof version === 'number' && Number.isInteger(version) && version > PROGRESS_EXPORT_VERSION)
    return `This file comes from a newer version of the course (version ${version}); ${reads}.`;
  return `This progress file has a version this course does not know (${versionWords(version)}); ${reads}.`;
}

/** The kinds of entry a progress file lists, in the order a notice names them. */
const ENTRY_KINDS = ['completedLessons', 'passedExercises', 'quizAnswers', 'labSaves'] as const;
type EntryKind = (typeof ENTRY_KINDS)[number];

const KIND_WORDS: Record<EntryKind, { entry: string; one: string; many: string }> = {
  completedLessons: {
    entry: 'Completed lesson',
    one: 'completed lesson',
    many: 'completed lessons',
  },
  passedExercises: { entry: 'Passed exercise', one: 'passed exercise', many: 'passed exercises' },
  quizAnswers: { entry: 'Quiz answer', one: 'quiz answer', many: 'quiz answers' },
  labSaves: { entry: 'Saved lab', one: 'saved lab', many: 'saved labs' },
};

/** What each field of a file is called in a message. */
const FIELD_WORDS: Record<string, string> = {
  exportedAt: 'the export date',
  progress: 'the progress section',
  completedLessons: 'the list of completed lessons',
  passedExercises: 'the list of passed exercises',
  quizAnswers: 'the list of quiz answers',
  labSaves: 'the list of saved labs',
  lastLesson: 'the last lesson visited',
  lessonId: 'the lesson',
  labId: 'the lab',
  quizId: 'the quiz',
  selected: 'the chosen answers',
  correct: 'whether it was right',
  completedAt: 'the completion date',
  passedAt: 'the date it was passed',
  answeredAt: 'the date it was answered',
  savedAt: 'the date it was saved',
  visitedAt: 'the date of the visit',
  files: 'the list of files',
  path: 'the file name',
  content: 'the code',
  settings: 'the settings',
  memoryMb: 'the memory setting',
  timeoutS: 'the timeout',
  environment: 'the environment variables',
  eventText: 'the test event',
};

const TIME_FIELDS = new Set([
  'exportedAt',
  'completedAt',
  'passedAt',
  'answeredAt',
  'savedAt',
  'visitedAt',
]);
const TIME_WORDS = 'a date and time such as "2026-11-30T10:00:00.000Z"';

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a JSON object',
};

/** Where in a file a problem is: the entry it belongs to (if any), and the field within it. */
interface Place {
  /** "Saved lab 2 ("lambda/first-handler"), file "index.mjs"", or undefined outside the lists. */
  entry: string | undefined;
  /** The path from the entry (or the file) to the field at fault. */
  field: readonly PropertyKey[];
  /** What the entry itself is called in a clause: "it", or "its value" for a variable. */
  self: string;
}

function locate(path: readonly PropertyKey[], data?: unknown): Place {
  const [section, list, index, ...rest] = path;
  if (section === 'progress' && list === 'lastLesson')
    return { entry: 'The last lesson visited', field: path.slice(2), self: 'it' };
  if (section !== 'progress' || !isEntryKind(list) || typeof index !== 'number')
    return { entry: undefined, field: path, self: 'the file' };
  const item: unknown =
    isRecord(data) && isRecord(data.progress) ? at(data.progress[list], index) : undefined;
  const entry = `${KIND_WORDS[list].entry} ${index + 1}${entryName(list, item)}`;
  if (list === 'labSaves' && rest[0] === 'files' && typeof rest[1] === 'number') {
    const file = isRecord(item) ? at(item.files, rest[1]) : undefined;
    const name =
      isRecord(file) && typeof file.path === 'string' && file.path !== ''
        ? quote(file.path)
        : String(rest[1] + 1);
    return { entry: `${entry}, file ${name}`, field: rest.slice(2), self: 'it' };
  }
  if (list === 'labSaves' && rest[0] === 'settings' && rest[1] === 'environment' && rest.length > 2)
    return {
      entry: `${entry}, environment variable ${quote(String(rest[2]))}`,
      field: rest.slice(3),
      self: 'its value',
    };
  return { entry, field: rest, self: 'it' };
}

/** How an entry names itself in a message: its lesson or lab, when the file gives one. */
function entryName(kind: EntryKind, item: unknown): string {
  if (!isRecord(item)) return '';
  const { lessonId, labId, quizId } = item;
  const id = kind === 'labSaves' || kind === 'passedExercises' ? labId : lessonId;
  if (typeof id !== 'string') return '';
  if (kind === 'quizAnswers' && typeof quizId === 'string')
    return ` (quiz ${quote(quizId)} of ${quote(id)})`;
  return ` (${quote(id)})`;
}

/** Words one problem as a clause about the field at fault, e.g. "the completion date is missing". */
function describeIssue(issue: z.core.$ZodRawIssue): string {
  const path = issue.path ?? [];
  const { field, self } = locate(path);
  const last = field.at(-1);
  const subject =
    last === undefined
      ? self
      : typeof last === 'number'
        ? field.at(-2) === 'selected'
          ? `chosen answer ${last + 1}`
          : `entry ${last + 1}`
        : (FIELD_WORDS[String(last)] ?? quote(String(last)));
  const { input } = issue;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `${subject} is missing`;
      if (typeof last === 'string' && TIME_FIELDS.has(last))
        return `${subject} must be ${TIME_WORDS}, not ${valueWords(input)}`;
      return `${subject} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}, not ${valueWords(input)}`;
    case 'too_big': {
      const max = Number(issue.maximum);
      const list = path.length === 2 && path[0] === 'progress' ? path[1] : undefined;
      if (isEntryKind(list) && Array.isArray(input))
        return `The file lists ${count(input.length)} ${KIND_WORDS[list].many}; a progress file holds at most ${count(max)}`;
      if (issue.origin === 'string')
        return `${subject} must be at most ${count(max)} characters long`;
      if (issue.origin === 'array')
        return `${subject} must have at most ${plural(max, 'entry', 'entries')}`;
      return `${subject} must be at most ${count(max)}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string')
        return min === 1
          ? `${subject} must not be empty`
          : `${subject} must be at least ${count(min)} characters long`;
      if (issue.origin === 'array')
        return min === 1
          ? `${subject} must not be empty`
          : `${subject} must have at least ${plural(min, 'entry', 'entries')}`;
      return `${subject} must be at least ${count(min)}`;
    }
    case 'invalid_format':
      if (issue.format === 'datetime') return `${subject} must be ${TIME_WORDS}`;
      if (last === 'lessonId' || last === 'labId')
        return `${subject} must be written as "<module>/<name>", for example "hosting/welcome"`;
      return `${subject} is not in the expected form`;
    case 'invalid_value':
      return `${subject} must be ${joinWords(
        issue.values.map((v) => JSON.stringify(v) ?? String(v)),
        'or',
      )}`;
    case 'unrecognized_keys': {
      // A hand-made object may have thousands of keys: name a few.
      const shown = issue.keys.slice(0, 3).map(quote);
      if (issue.keys.length > 3) shown.push(`${count(issue.keys.length - 3)} more`);
      return `${subject} has ${issue.keys.length === 1 ? 'a field' : 'fields'} this course does not know: ${joinWords(shown)}`;
    }
    case 'invalid_key': {
      // A variable's name: the labs' own words for its pattern, or its length.
      const [nameIssue] = issue.issues;
      if (nameIssue?.code === 'too_big')
        return `its name must be at most ${count(Number(nameIssue.maximum))} characters long`;
      return nameIssue?.code === 'invalid_format' ? nameIssue.message : 'its name is not allowed';
    }
    default:
      return `${subject} is not valid`;
  }
}

/** How many entries of each kind. */
export type ImportCounts = Record<EntryKind, number>;

/** What an import did with each entry of the file: the reply of POST /api/progress/import. */
export interface ImportSummary {
  /** Now in this browser's progress: new here, or more recent than what was here. */
  imported: ImportCounts;
  /**
   * Already here and kept as it was: a save or answer at least as recent, a
   * lesson completed or an exercise passed no later.
   */
  alreadyHere: ImportCounts;
  /** About lessons, quizzes or labs this course no longer has. */
  notInCourse: ImportCounts;
  /** For a quiz or lab that has changed since the export (other choices, other files). */
  changed: ImportCounts;
}

/**
 * The import's notice in plain words: each kind counted, zeros left out, e.g.
 * "Imported 3 completed lessons, 1 passed exercise, 2 quiz answers and 4
 * saved labs.", then what was kept or left out, and why.
 */
export function describeImport(summary: ImportSummary): string {
  const imported = countWords(summary.imported);
  const sentences = [
    imported
      ? `Imported ${imported}.`
      : ENTRY_KINDS.every(
            (kind) =>
              summary.alreadyHere[kind] + summary.notInCourse[kind] + summary.changed[kind] === 0,
          )
        ? 'The file holds no progress to import.'
        : 'Nothing new was imported.',
  ];
  const kept = countWords(summary.alreadyHere);
  if (kept) sentences.push(`Already in this browser, and kept as they were: ${kept}.`);
  const gone = countWords(summary.notInCourse);
  if (gone) sentences.push(`Left out because this course no longer has them: ${gone}.`);
  const changed = countWords(summary.changed);
  if (changed)
    sentences.push(
      `Left out because their quiz or lab has changed since the file was made: ${changed}.`,
    );
  return sentences.join(' ');
}

/** "3 completed lessons, 1 passed exercise and 2 saved labs"; empty when every count is 0. */
function countWords(counts: ImportCounts): string {
  return joinWords(
    ENTRY_KINDS.filter((kind) => counts[kind] > 0).map((kind) =>
      plural(counts[kind], KIND_WORDS[kind].one, KIND_WORDS[kind].many),
    ),
  );
}

/** "2 saved labs", "1 saved lab". */
function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "a", "a and b", "a, b and c". */
function joinWords(words: readonly string[], conjunction = 'and'): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1)}`;
}

/** A name from the file, quoted and cut short: a hostile file may hold anything in it. */
function quote(text: string): string {
  return JSON.stringify(shorten(text));
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A version as a message shows it; not JSON.stringify, which a deeply nested value would overflow. */
function versionWords(version: unknown): string {
  if (typeof version === 'string') return quote(version);
  if (typeof version === 'number' || typeof version === 'boolean' || version === null)
    return String(version);
  return valueWords(version);
}

function valueWords(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return String(value);
  return 'a JSON object';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isEntryKind(value: unknown): value is EntryKind {
  return (ENTRY_KINDS as readonly unknown[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(list: unknown, index: number): unknown {
  return Array.isArray(list) ? list[index] : undefined;
}
