/**
 * `npm run content:check [project-dir]`: validates the whole course (the
 * project-dir's content/ and public/, by default this project's) and prints each
 * problem as `file:line:col  message`, paths relative to the working directory.
 * Exits 1 when there is any.
 */
import path from 'node:path';
import { formatProblem, loadCourse, projectCourseLocation, sortProblems } from '../lib/content';

const location = {
  ...projectCourseLocation(path.resolve(process.argv[2] ?? '.')),
  projectDir: process.cwd(),
};

const started = performance.now();
const { course, problems } = await loadCourse(location);
const seconds = ((performance.now() - started) / 1000).toFixed(1);

if (problems.length > 0) {
  for (const problem of sortProblems(problems)) console.error(formatProblem(problem));
  console.error(`\n✗ ${problems.length} problem${problems.length === 1 ? '' : 's'} in the course content (${seconds} s).`);
  process.exit(1);
}
const quizzes = course.lessons.reduce((sum, lesson) => sum + lesson.quizzes.length, 0);
console.log(`✓ ${course.modules.length} modules, ${course.lessons.length} lessons, ${quizzes} quizzes: no problems (${seconds} s).`);
