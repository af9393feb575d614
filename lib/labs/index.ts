/*
 * Code labs on the server: reading them from a module's labs/ folder, the
 * service behind /api/labs/*, what a lesson page sends the browser, proving an
 * exercise and checking Python syntax. The browser-safe half is ./contract.
 */
export { LabService } from './lab-service';
export { readLab, readModuleLabs, type LabDefinition } from './lab-loader';
export { toLabView } from './lab-view';
export { labFunctionName, proveExercise } from './lab-functions';
export { checkPythonSyntax } from './python-syntax';
