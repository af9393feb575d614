import { builtinModules } from 'node:module';
import path from 'node:path';
import { COMPOSITION_ROOT, FEATURES, FRAMEWORK_PACKAGES, UTILITIES } from './architecture.mjs';

/*
 * `layers/imports`: every import checked against ./architecture.mjs. Paths
 * are resolved by hand (the `@/` alias and relative paths), because the rule
 * needs only where an import points, not what it exports.
 */

const SOURCE_EXTENSION = /\.(tsx?|mjs|cjs|js)$/;
const NODE_ONLY_PACKAGES = ['better-sqlite3'];

/** Where a file sits: its area (lib, components, app, other) and, in lib, its part and module. */
function locate(relative) {
  const withoutExtension = relative.replace(SOURCE_EXTENSION, '');
  const segments = withoutExtension.split('/');
  if (segments[0] !== 'lib')
    return {
      area: segments[0] === 'components' || segments[0] === 'app' ? segments[0] : 'other',
      path: withoutExtension,
    };
  if (segments.length === 2)
    return { area: 'lib', part: segments[1], module: 'index', path: withoutExtension };
  return {
    area: 'lib',
    part: segments[1],
    module: segments.slice(2).join('/'),
    path: withoutExtension,
  };
}

/** Tests, test helpers, fixtures and benchmarks exercise internals on purpose. */
function isHarness(relative) {
  return (
    /\.test\.tsx?$/.test(relative) ||
    /(^|\/)(testing|fixtures)\//.test(relative) ||
    /^(bench|e2e)\//.test(relative)
  );
}

/** A module that may reach a browser bundle: a part's contract, a browser utility, or anything in components/ but its tests. */
function isBrowserSafe(place) {
  if (place.area === 'components') return !/\.test$/.test(place.path);
  if (place.area !== 'lib') return false;
  if (FEATURES[place.part]) return place.module === 'contract';
  return UTILITIES[place.part]?.browser === true;
}

function packageName(specifier) {
  const segments = specifier.split('/');
  return specifier.startsWith('@') ? segments.slice(0, 2).join('/') : segments[0];
}

function isNodeOnly(specifier) {
  return (
    specifier.startsWith('node:') ||
    builtinModules.includes(packageName(specifier)) ||
    NODE_ONLY_PACKAGES.includes(packageName(specifier))
  );
}

/** The project-relative target of an import, or undefined for a package. */
function resolveTarget(specifier, fromRelative) {
  if (specifier.startsWith('@/')) return specifier.slice(2);
  if (
    specifier.startsWith('./') ||
    specifier.startsWith('../') ||
    specifier === '.' ||
    specifier === '..'
  ) {
    return path.posix.normalize(path.posix.join(path.posix.dirname(fromRelative), specifier));
  }
  return undefined;
}

const describePart = (part) => `lib/${part}`;

function checkImport({ from, fromRelative, specifier, typeOnly, report }) {
  const harness = isHarness(fromRelative);
  const targetRelative = resolveTarget(specifier, fromRelative);

  if (targetRelative === undefined) {
    const name = packageName(specifier);
    if (from.area === 'lib' && FRAMEWORK_PACKAGES.includes(name))
      return report('frameworkInLib', { name });
    if (!typeOnly && isBrowserSafe(from) && isNodeOnly(specifier))
      return report('nodeInBrowser', { name: specifier });
    return undefined;
  }

  const target = locate(targetRelative);
  if (from.area === 'lib' && (target.area === 'app' || target.area === 'components')) {
    return report('appInLib', { target: target.area });
  }
  if (target.area !== 'lib') return undefined;

  const samePart = from.area === 'lib' && from.part === target.part;
  if (!typeOnly && isBrowserSafe(from) && !samePart && !isBrowserSafe(target)) {
    const contract = FEATURES[target.part]?.public.includes('contract')
      ? ` Take what the browser needs from lib/${target.part}/contract.`
      : '';
    return report('serverOnlyInBrowser', { target: target.path, hint: contract });
  }
  if (!typeOnly && isBrowserSafe(from) && samePart && !isBrowserSafe(target)) {
    return report('serverOnlyInBrowser', {
      target: target.path,
      hint: ' A contract holds only what is safe in a browser.',
    });
  }
  if (samePart || harness) return undefined;

  if (from.area === 'lib' && from.part !== COMPOSITION_ROOT) {
    const rules = FEATURES[from.part] ?? UTILITIES[from.part];
    const allowed = rules?.uses ?? [];
    const targetIsUtility = UTILITIES[target.part] !== undefined;
    const fromIsUtility = UTILITIES[from.part] !== undefined;
    if (target.part === COMPOSITION_ROOT)
      return report('rootImported', { from: describePart(from.part) });
    // A contract is a leaf at run time (zod, browser utilities, erased types), so any part may share its shapes and limits.
    const targetIsContract = FEATURES[target.part] !== undefined && target.module === 'contract';
    if (
      !allowed.includes(target.part) &&
      !(targetIsUtility && !fromIsUtility) &&
      !targetIsContract
    ) {
      return report('layerCrossed', {
        from: describePart(from.part),
        target: describePart(target.part),
        allowed: allowed.length > 0 ? allowed.map(describePart).join(', ') : 'no other part',
      });
    }
  }

  const feature = FEATURES[target.part];
  if (feature && !feature.public.includes(target.module)) {
    return report('internalImported', {
      target: target.path,
      publicModules: feature.public.map((module) => `lib/${target.part}/${module}`).join(' or '),
    });
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const importsRule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Keep imports within the layers of eslint/architecture.mjs (docs/decisions/008).',
    },
    schema: [],
    messages: {
      frameworkInLib:
        'lib/ is framework-free and may not import "{{name}}": move the code that needs it to app/ or components/.',
      appInLib:
        'lib/ may not import {{target}}/: lib sits below the app; pass what it needs in as arguments.',
      nodeInBrowser:
        'This module may reach a browser and may not import "{{name}}": move the Node code behind an API route.',
      serverOnlyInBrowser: '{{target}} is server-only and this module may reach a browser.{{hint}}',
      rootImported:
        '{{from}} may not import lib/server: lib/server wires the parts together and sits above all of them.',
      layerCrossed:
        '{{from}} may not import {{target}}: it may use {{allowed}} (eslint/architecture.mjs). Invert the dependency or move the code.',
      internalImported: '{{target}} is internal: import it through {{publicModules}}.',
    },
  },
  create(context) {
    const fromRelative = path.relative(context.cwd, context.filename).split(path.sep).join('/');
    if (fromRelative.startsWith('..')) return {};
    const from = locate(fromRelative);

    const visit = (node, sourceNode, typeOnly) => {
      if (!sourceNode || typeof sourceNode.value !== 'string') return;
      checkImport({
        from,
        fromRelative,
        specifier: sourceNode.value,
        typeOnly,
        report: (messageId, data) => context.report({ node: sourceNode, messageId, data }),
      });
    };

    return {
      ImportDeclaration: (node) => visit(node, node.source, node.importKind === 'type'),
      ExportNamedDeclaration: (node) => visit(node, node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => visit(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) =>
        visit(node, node.source.type === 'Literal' ? node.source : undefined, false),
    };
  },
};

export const layersPlugin = { rules: { imports: importsRule } };
