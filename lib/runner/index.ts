/*
 * The function runner's public face: what lib/lambda (and the server that
 * wires it) may use. Everything else in lib/runner is its own business.
 */
export {
  CourseBusyError,
  DEFAULT_CAPACITY_WAIT_MS,
  EnvironmentPool,
  ProvisionedConcurrencyLimitError,
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
  resolveSandboxLevel,
  RUNTIME_BINARIES,
  runtimeProblem,
  type RuntimeId,
  type SandboxLevel,
  type SandboxSetting,
} from './sandbox';
export { openCgroupHierarchy, type CgroupHierarchy } from './cgroup';
