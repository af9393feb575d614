/*
 * The function runner's public face: what lib/lambda (and the server that
 * wires it) may use. Everything else in lib/runner is its own business.
 */
export {
  EnvironmentPool,
  ThrottleError,
  type FunctionRunner,
  type Invocation,
  type InvocationReport,
  type PoolFunction,
  type PoolLimits,
} from './pool';
export {
  asUnprivilegedUser,
  bubblewrapProblem,
  isBubblewrapUsable,
  RUNTIME_BINARIES,
  type RuntimeId,
  type SandboxLevel,
} from './sandbox';
export { openCgroupHierarchy } from './cgroup';
