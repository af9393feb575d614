/**
 * Serves the code editor from the app itself: copies Monaco's prebuilt files
 * to public/monaco/vs and bundles the aws-lambda typings into
 * public/monaco/aws-lambda-types.json, which the editor loads so that
 * `event.` and `context.` complete. Nothing is fetched from a CDN, so labs
 * work offline. Runs after `npm install`/`npm ci`, and before dev and build.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const target = path.join(root, 'public', 'monaco');
const monacoSource = path.join(root, 'node_modules', 'monaco-editor', 'min', 'vs');
const typesSource = path.join(root, 'node_modules', '@types', 'aws-lambda');

if (!existsSync(monacoSource) || !existsSync(typesSource)) {
  console.error(
    'copy-monaco: monaco-editor or @types/aws-lambda is not installed; run npm ci first.',
  );
  process.exit(1);
}

const version = JSON.parse(
  readFileSync(path.join(root, 'node_modules', 'monaco-editor', 'package.json'), 'utf8'),
).version;
const stamp = path.join(target, 'VERSION');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== version) {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(monacoSource, path.join(target, 'vs'), { recursive: true });
  writeFileSync(stamp, version);
}

const libs = readdirSync(typesSource, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.d.ts'))
  .sort()
  .map((file) => ({
    path: `file:///node_modules/@types/aws-lambda/${file.split(path.sep).join('/')}`,
    content: readFileSync(path.join(typesSource, file), 'utf8'),
  }));
writeFileSync(path.join(target, 'aws-lambda-types.json'), JSON.stringify(libs));
console.log(
  `copy-monaco: Monaco ${version} and ${libs.length} aws-lambda typing files in public/monaco/`,
);
