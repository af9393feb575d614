// ES-module resolution through NODE_PATH, as Lambda's Node.js runtimes do it.
//
// Node.js itself never looks at NODE_PATH when it resolves an `import`; only
// CommonJS `require` does. Since nodejs18.x, Lambda's runtime "searches the
// folders listed in NODE_PATH when loading ES modules", which is what lets a
// handler `import` a package from a layer (/opt/nodejs/node_modules) by name
// (AWS Compute Blog, "Node.js 18.x runtime now available in AWS Lambda";
// developer guide, "Building Lambda functions with Node.js"). AWS does not
// publish how; this hook does it the plain way: when Node's own resolution of
// a bare specifier fails, it is resolved again from each NODE_PATH folder in
// turn, with Node's own rules (package.json "exports", conditions and all).
//
// Only folders named node_modules are searched (all of Lambda's layer and SDK
// paths are): Node can resolve a package from such a folder by standing just
// above it, but has no way to treat another folder as one. /var/task's own
// node_modules needs no help: Node finds it from the handler's folder.
//
// bootstrap.mjs installs `resolveSync` with module.registerHooks (Node.js 22
// and later: in-thread, no measurable cost to a cold start), or this module
// with module.register on Node.js 20, which runs `resolve` on a loader thread
// that adds some 80 ms to the INIT of a nodejs20.x function with layers.

import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `pkg`, `@scope/pkg`, `pkg/sub`: not relative, absolute, a URL, or a package.json "imports" name. */
function isBareSpecifier(specifier) {
  return !/^(?:\.{0,2}\/|#|[a-z][a-z0-9+.-]*:)/i.test(specifier);
}

/** The NODE_PATH folders an ES module may be found in, resolved once; missing ones are dropped. */
export function nodePathFolders(nodePath = process.env.NODE_PATH ?? '') {
  return nodePath
    .split(path.delimiter)
    .filter((folder) => path.isAbsolute(folder) && path.basename(folder) === 'node_modules')
    .flatMap((folder) => {
      try {
        return [realpathSync(folder)];
      } catch {
        return [];
      }
    });
}

const folders = nodePathFolders();

/** Where Node must stand to find `<folder>/<package>`: a module in the folder above. */
const parentIn = (folder) => pathToFileURL(path.join(path.dirname(folder), 'node-path.mjs')).href;

/** Node walks up from `parentIn(folder)`: keep only what it found inside the folder itself. */
const isInside = (resolved, folder) =>
  resolved.url.startsWith('file:') && fileURLToPath(resolved.url).startsWith(folder + path.sep);

const notFound = (error) => error?.code === 'ERR_MODULE_NOT_FOUND';

/** The resolve hook for module.registerHooks (synchronous). */
export function resolveSync(specifier, context, nextResolve) {
  try {
    return nextResolve(specifier, context);
  } catch (error) {
    if (!notFound(error) || !isBareSpecifier(specifier)) throw error;
    for (const folder of folders) {
      try {
        const resolved = nextResolve(specifier, { ...context, parentURL: parentIn(folder) });
        if (isInside(resolved, folder)) return resolved;
      } catch (again) {
        if (!notFound(again)) throw again;
      }
    }
    throw error;
  }
}

/** The resolve hook for module.register (asynchronous, on Node's loader thread). */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!notFound(error) || !isBareSpecifier(specifier)) throw error;
    for (const folder of folders) {
      try {
        const resolved = await nextResolve(specifier, { ...context, parentURL: parentIn(folder) });
        if (isInside(resolved, folder)) return resolved;
      } catch (again) {
        if (!notFound(again)) throw again;
      }
    }
    throw error;
  }
}
