import type { CommandFilter } from '@runtrail/persistence';
import type { CommandsQueryDto } from './commands-query.dto';

/** Ids are stored in lower case; the caller may write them in any. */
export function toCommandFilter(q: CommandsQueryDto): CommandFilter {
  return { runId: q.run_id?.toLowerCase(), runnerId: q.runner_id?.toLowerCase(), status: q.status };
}
