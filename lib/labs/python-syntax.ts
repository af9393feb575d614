import { spawn } from 'node:child_process';
import { asUnprivilegedUser, RUNTIME_BINARIES } from '../runner';
import { MAX_LAB_FILE_BYTES, type SyntaxProblem } from './contract';

/** The longest source the checker reads: a lab's limit for one file. */
export const MAX_PYTHON_SOURCE_BYTES = MAX_LAB_FILE_BYTES;
const TIMEOUT_MS = 3000;
/** Parsing, even of pathological input, needs far less; the cap keeps a nesting bomb from taking the server's memory. */
const MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;
/** At most this many checks at once on the server; more wait their turn. */
const MAX_CONCURRENT = 2;

/*
 * Compiles the code to bytecode without running it: compile() reports what
 * Python would report at import (bad indentation, `return` outside a
 * function, unclosed brackets), and nothing of the learner's code executes.
 */
const CHECKER = `
import json, sys
source = sys.stdin.read()
try:
    compile(source, 'lambda_function.py', 'exec', dont_inherit=True)
    problems = []
except SyntaxError as error:
    line = error.lineno or 1
    column = error.offset or 1
    problems = [{'line': line, 'column': column, 'endLine': getattr(error, 'end_lineno', None) or line, 'endColumn': getattr(error, 'end_offset', None) or column + 1, 'message': error.msg}]
except (RecursionError, MemoryError, ValueError) as error:
    problems = [{'line': 1, 'column': 1, 'endLine': 1, 'endColumn': 2, 'message': 'This code is too deeply nested for Python to compile.'}]
sys.stdout.write(json.dumps(problems))
`;

let running = 0;
const waiting: (() => void)[] = [];

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/**
 * Python's own verdict on a lab file's syntax, for the editor's markers (Monaco
 * has no Python parser). The interpreter runs as the sandbox's unprivileged
 * user, isolated (-I: no user site, no environment variables honoured), with
 * nothing in its environment but PATH, limits on memory and CPU time, and a timeout.
 */
export function checkPythonSyntax(source: string): Promise<SyntaxProblem[]> {
  return withSlot(
    () =>
      new Promise<SyntaxProblem[]>((resolve, reject) => {
        const env: Record<string, string> = { PATH: '/usr/bin:/bin' };
        // Never as root: the parser reads learner input, so it runs as the sandbox's unprivileged user.
        const [file, ...args] = asUnprivilegedUser([
          '/usr/bin/prlimit',
          `--as=${MEMORY_LIMIT_BYTES}`,
          '--cpu=2',
          '--',
          RUNTIME_BINARIES['python3.11'],
          '-I',
          '-S',
          '-c',
          CHECKER,
        ]);
        const child = spawn(file!, args, {
          env: env as NodeJS.ProcessEnv,
          cwd: '/',
          stdio: ['pipe', 'pipe', 'ignore'],
        });
        const output: Buffer[] = [];
        let size = 0;
        const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
        child.stdout.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= 64 * 1024) output.push(chunk);
        });
        child.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          try {
            const problems = JSON.parse(Buffer.concat(output).toString('utf8')) as SyntaxProblem[];
            resolve(problems);
          } catch {
            reject(
              new Error(
                `The Python syntax check ended without a verdict (exit ${code ?? 'killed'}).`,
              ),
            );
          }
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(source);
      }),
  );
}
