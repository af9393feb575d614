// Lambda's paths for a runtime started without a sandbox (RUNNER_SANDBOX=none).
//
// In the bubblewrap sandbox, /tmp is the environment's own tmpfs, the code is
// at /var/task and the layers at /opt. A plain process sees the host's
// filesystem instead, and without namespaces (macOS, Linux without
// bubblewrap) nothing can mount folders there. So the runner gives each
// environment host folders for those paths and passes the map in
// _COURSE_UNSANDBOXED_PATHS; this module makes the learner's code see them at
// Lambda's paths where it names them:
//   - every path-taking function of node:fs, fs/promises (and their ES-module
//     exports) maps /tmp, /var/task, /opt and /var/runtime to the host folders;
//   - `import '/opt/…'` and `require('/opt/…')` resolve there too;
//   - NODE_PATH, LAMBDA_TASK_ROOT and TMPDIR read as they do on Lambda once
//     Node has used the host values to start.
// What it cannot reach (child processes, native addons, paths Node's own
// loader reports such as import.meta.url) is listed in
// docs/decisions/011-unsandboxed-parity.md.

import fs from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PATHS_VARIABLE = '_COURSE_UNSANDBOXED_PATHS';

/** { "/tmp": "/host/…/tmp", … }: the Lambda folders and the host folders behind them. */
let mapping = [];

/** Sets the map; exported for the loader thread (module.register's initialize) and tests. */
export function initialize(paths) {
  mapping = Object.entries(paths ?? {}).map(([lambda, host]) => ({ lambda, host }));
}

const inside = (file, folder) => file === folder || file.startsWith(folder + '/');

/**
 * The host path of a Lambda path, or the path unchanged. A path already inside
 * a host folder is left alone: on Linux the host folders themselves live
 * under the host's /tmp, which must not be mapped a second time.
 */
export function toHost(file) {
  if (typeof file !== 'string' || !file.startsWith('/')) return file;
  const normal = path.posix.normalize(file);
  if (mapping.some(({ host }) => inside(normal, host))) return file;
  for (const { lambda, host } of mapping)
    if (inside(normal, lambda)) return host + normal.slice(lambda.length);
  return file;
}

/** The Lambda path of a host path (what mkdtemp and realpath return), or the path unchanged. */
export function toLambda(file) {
  if (typeof file !== 'string') return file;
  for (const { lambda, host } of mapping)
    if (inside(file, host)) return lambda + file.slice(host.length);
  return file;
}

/** A path argument as fs takes it: a string, or a file: URL. Buffers and descriptors pass as they are. */
function mapArgument(value) {
  if (typeof value === 'string') return toHost(value);
  if (value instanceof URL && value.protocol === 'file:') {
    const mapped = toHost(fileURLToPath(value));
    return mapped === fileURLToPath(value) ? value : pathToFileURL(mapped);
  }
  return value;
}

/** Functions whose first argument is a path; the second too for these. */
const ONE_PATH = [
  'access',
  'appendFile',
  'chmod',
  'chown',
  'createReadStream',
  'createWriteStream',
  'exists',
  'lchmod',
  'lchown',
  'lstat',
  'lutimes',
  'mkdir',
  'open',
  'openAsBlob',
  'opendir',
  'readdir',
  'readFile',
  'readlink',
  'realpath',
  'rm',
  'rmdir',
  'stat',
  'statfs',
  'truncate',
  'unlink',
  'utimes',
  'watch',
  'watchFile',
  'unwatchFile',
  'writeFile',
];
const TWO_PATHS = ['copyFile', 'cp', 'link', 'rename', 'symlink'];
/**
 * Functions whose result is a path the learner should see as Lambda's. Not
 * realpath, though it takes a path like the others: Node's own module loader
 * calls fs.realpathSync and reads the file it returns with functions this
 * module cannot reach, so realpath must keep answering with host paths.
 */
const RETURN_PATH = ['mkdtemp'];

function wrap(target, name, paths) {
  const original = target[name];
  if (typeof original !== 'function') return;
  const wrapped = function (...args) {
    for (let i = 0; i < paths && i < args.length; i++) args[i] = mapArgument(args[i]);
    if (name === 'mkdtemp' && typeof args.at(-1) === 'function') {
      const callback = args.pop();
      args.push((error, folder) => callback(error, toLambda(folder)));
    }
    const result = original.apply(this, args);
    if (!RETURN_PATH.includes(name.replace(/Sync$/, ''))) return result;
    return result instanceof Promise ? result.then(toLambda) : toLambda(result);
  };
  // realpathSync.native and the like keep working.
  Object.assign(wrapped, original);
  target[name] = wrapped;
}

function patchFs() {
  for (const base of [...ONE_PATH, ...RETURN_PATH]) {
    wrap(fs, base, 1);
    wrap(fs, `${base}Sync`, 1);
    wrap(fs.promises, base, 1);
  }
  for (const base of TWO_PATHS) {
    wrap(fs, base, 2);
    wrap(fs, `${base}Sync`, 2);
    wrap(fs.promises, base, 2);
  }
  // `import { readFileSync } from 'node:fs'` reads the patched functions from here on.
  nodeModule.syncBuiltinESMExports();
}

/** The resolve hook for module.registerHooks: absolute Lambda paths in import specifiers. */
export function resolveSync(specifier, context, nextResolve) {
  return nextResolve(mapSpecifier(specifier), context);
}

/** The same for module.register (Node.js 20), on Node's loader thread. */
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(mapSpecifier(specifier), context);
}

function mapSpecifier(specifier) {
  if (specifier.startsWith('/')) return toHost(specifier);
  if (specifier.startsWith('file:')) {
    const file = fileURLToPath(specifier);
    const mapped = toHost(file);
    return mapped === file ? specifier : pathToFileURL(mapped).href;
  }
  return specifier;
}

/**
 * Installs the mapping when the runner started this process unsandboxed;
 * does nothing inside the sandbox, where the paths are real. Call it after
 * Node has read NODE_PATH, before the function's code loads.
 */
export function installUnsandboxedPaths() {
  const setting = process.env[PATHS_VARIABLE];
  if (setting === undefined) return;
  // The learner's code must not see the runner's plumbing in its environment.
  delete process.env[PATHS_VARIABLE];
  const { paths, environment } = JSON.parse(setting);
  initialize(paths);
  patchFs();
  if (typeof nodeModule.registerHooks === 'function')
    nodeModule.registerHooks({ resolve: resolveSync });
  else nodeModule.register('./unsandboxed-paths.mjs', import.meta.url, { data: paths });
  // require() of an absolute /opt path: CommonJS resolution does not go through
  // module.register's hooks on Node.js 20.
  const resolveFilename = nodeModule._resolveFilename;
  nodeModule._resolveFilename = function (request, ...rest) {
    return resolveFilename.call(this, toHost(request), ...rest);
  };
  // Lambda's values, now that Node has used the host ones to start (null: unset on Lambda).
  for (const [name, value] of Object.entries(environment ?? {})) {
    if (value === null) delete process.env[name];
    else process.env[name] = value;
  }
}
