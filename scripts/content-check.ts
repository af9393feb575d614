/**
 * `npm run content:check [project-dir] [--skip-exercises]`: validates the whole
 * course (the project-dir's content/ and public/, by default this project's)
 * and prints each problem as `file:line:col  message`, paths relative to the
 * working directory. Then it runs every exercise through the real runner: each
 * reference solution must pass all its checks and each starter must fail one.
 * `--skip-exercises` leaves that out, for quick passes while writing prose.
 * Exercises run at the isolation RUNNER_SANDBOX chooses, decided as the server
 * decides it (auto: bubblewrap where it works, else plain processes); the
 * summary names the level. Exits 1 when there is any problem.
 */
import path from 'node:path';
import {
  formatProblem,
  loadCourse,
  projectCourseLocation,
  sortProblems,
  type ContentProblem,
} from '../lib/course';
import { proveExercise } from '../lib/labs';
import { createEphemeralLambdaService } from '../lib/lambda';
import { bubblewrapProblem } from '../lib/runner';
import { loadSandboxSetting } from '../lib/server/config';

const args = process.argv.slice(2);
const skipExercises = args.includes('--skip-exercises');
const projectArg = args.find((arg) => !arg.startsWith('--'));
const location = {
  ...projectCourseLocation(path.resolve(projectArg ?? '.')),
  projectDir: process.cwd(),
};

// Read first: a mistyped RUNNER_SANDBOX fails before anything runs, with the server's message.
const sandboxSetting = loadSandboxSetting();
let sandboxNote = '';

const started = performance.now();
const { course, problems } = await loadCourse(location);

const exercises = [...course.labs.values()].filter((lab) => lab.exercise);
if (!skipExercises && exercises.length > 0) {
  try {
    problems.push(...(await proveAll()));
  } catch (error) {
    // RUNNER_SANDBOX=bwrap where bubblewrap cannot run: the machine's problem, not the exercises'.
    if ((error as Error).name !== 'SandboxUnavailableError') throw error;
    console.error(`✗ Exercises not run: ${(error as Error).message}`);
    process.exit(1);
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);

if (problems.length > 0) {
  for (const problem of sortProblems(problems)) console.error(formatProblem(problem));
  console.error(
    `\n✗ ${problems.length} problem${problems.length === 1 ? '' : 's'} in the course content (${seconds} s).`,
  );
  if (sandboxNote) console.error(sandboxNote);
  process.exit(1);
}
const quizzes = course.lessons.reduce((sum, lesson) => sum + lesson.quizzes.length, 0);
const proved = skipExercises ? 'exercises not run' : `${exercises.length} exercises proved`;
if (sandboxNote) console.log(sandboxNote);
console.log(
  `✓ ${course.modules.length} modules, ${course.lessons.length} lessons, ${quizzes} quizzes, ${course.labs.size} labs, ${proved}: no problems (${seconds} s).`,
);
process.exit(0);

/** Two exercises at a time: enough to use both cores of a small machine without crowding the timings checks compare. */
async function proveAll(): Promise<ContentProblem[]> {
  const runner = await createEphemeralLambdaService({
    sandbox: sandboxSetting,
    cgroupName: 'course-content-check',
    limits: {
      maxEnvironments: 16,
      maxMemoryMb: 16_384,
      maxEnvironmentsPerWorkspace: 16,
      maxMemoryMbPerWorkspace: 16_384,
      idleTtlMs: 30_000,
    },
  });
  if (runner.sandbox === 'none') sandboxNote = unsandboxedNote();
  try {
    const queue = [...exercises];
    const found: ContentProblem[] = [];
    const worker = async () => {
      for (let lab = queue.shift(); lab; lab = queue.shift())
        found.push(...(await proveExercise(runner.service, lab)));
    };
    await Promise.all([worker(), worker()]);
    return found;
  } finally {
    await runner.dispose();
  }
}

/**
 * Said whenever exercises ran without bubblewrap: the runtimes then map /tmp,
 * /opt and /var/task themselves (docs/decisions/011), which covers what the
 * course's exercises do but not everything a handler could, so a failure here
 * may be the missing sandbox's and not the exercise's.
 */
function unsandboxedNote(): string {
  const why = sandboxSetting === 'none' ? 'RUNNER_SANDBOX=none' : bubblewrapProblem();
  return `Note: exercises ran without a sandbox (${why}). Each environment still gets its own /tmp, and layers at /opt, through path mapping in the Node.js and Python runtime clients (docs/decisions/011-unsandboxed-parity.md); a handler that reaches those paths another way (a child process, a native module) sees the host's instead. If an exercise fails only here, install bubblewrap with scripts/setup-system.sh and run content:check again.`;
}
