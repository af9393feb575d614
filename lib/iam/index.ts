/*
 * IAM on the server: reading and proving policy labs. The simulator itself,
 * and what the browser needs of a policy lab, is the browser-safe ./contract.
 */
export {
  readModulePolicyLabs,
  readPolicyLab,
  toPolicyLabView,
  type PolicyLabDefinition,
} from './policy-lab-loader';
export { POLICY_LAB_FILE } from './policy-lab-schema';
export type { PolicyLabView } from './contract';
