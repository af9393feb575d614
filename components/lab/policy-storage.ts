import { savedPolicySchema } from '@/lib/iam/contract';

/*
 * Where a learner's policy is kept between visits: this browser's
 * localStorage, one entry per lab. Saving it to the learner's workspace on the
 * server, as code labs do, is a later step; the entry's shape is the contract's
 * savedPolicySchema, so that step can import what browsers already hold.
 */

/** The localStorage key of a lab's policy. */
export function policyStorageKey(labId: string): string {
  return `course.policy-lab.${labId}`;
}

/** The policy in a stored entry, or undefined for none, or for anything else a browser may hold there. */
export function parseStoredPolicy(stored: string | null): string | undefined {
  if (stored === null) return undefined;
  try {
    const parsed = savedPolicySchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data.policy : undefined;
  } catch {
    return undefined;
  }
}

/** The entry to store for a policy. */
export function storedPolicy(policy: string): string {
  return JSON.stringify(savedPolicySchema.parse({ version: 1, policy }));
}

/** Reads a lab's saved policy; undefined when there is none or the browser refuses storage. */
export function readSavedPolicy(labId: string): string | undefined {
  try {
    return parseStoredPolicy(window.localStorage.getItem(policyStorageKey(labId)));
  } catch {
    return undefined;
  }
}

/** Saves a lab's policy; false when the browser refuses (private modes, policies, a full quota). */
export function writeSavedPolicy(labId: string, policy: string | undefined): boolean {
  try {
    const key = policyStorageKey(labId);
    if (policy === undefined) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, storedPolicy(policy));
    return true;
  } catch {
    return false;
  }
}
