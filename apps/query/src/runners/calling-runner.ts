import type { AuthContext, RunnerRecord, RunnerStore } from '@runtrail/auth';
import { ForbiddenError } from '@runtrail/platform';

/** The runner whose token made the call (the guard let only runner tokens through). */
export async function callingRunner(store: RunnerStore, auth: AuthContext): Promise<RunnerRecord> {
  const runner = auth.runnerId === undefined ? undefined : await store.findById(auth.runnerId);
  if (!runner) throw new ForbiddenError('only a runner token may use this endpoint');
  return runner;
}
