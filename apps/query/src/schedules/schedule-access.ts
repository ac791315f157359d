import type { AuthContext } from '@runtrail/auth';
import { NotFoundError } from '@runtrail/platform';
import type { Versioned } from '../commands/command-store';
import type { ScheduleState } from './schedule-store';

/** Another tenant's schedule (or a deleted one, or no id at all) is not found, named as the caller wrote it. */
export function visibleSchedule(auth: AuthContext, requestedId: string, found: Versioned<ScheduleState> | undefined): Versioned<ScheduleState> {
  if (!found || (auth.tenantId !== null && found.value.tenantId !== auth.tenantId)) throw new NotFoundError(`schedule ${requestedId} not found`);
  return found;
}
