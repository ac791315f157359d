import { RUN_STATUSES, type RunStatus } from '@runtrail/contracts';
import type { RunFilter } from '@runtrail/persistence';
import { InvalidInputError } from '@runtrail/platform';
import { parseDateRange } from '../shared/validation/date-range';
import type { RunFiltersDto, RunSelectionDto } from './action-run-query.dto';

/** The statuses of a `status` list (already validated), each once. */
export function runStatuses(list: string | undefined): RunStatus[] | undefined {
  return list === undefined ? undefined : [...new Set(list.split(','))].filter((s): s is RunStatus => RUN_STATUSES.includes(s as RunStatus));
}

/** The filters runs, stats and deployments share. */
export function runSelection(q: RunSelectionDto): RunFilter {
  return { workspace: q.workspace, block: q.block, blockFrom: q.block_from, blockVersion: q.block_version };
}

export function toRunFilter(q: RunFiltersDto): RunFilter {
  const problems: string[] = [];
  const { start, endExclusive } = parseDateRange(q.start, q.end, problems);
  const exitCode = q.exit_code === undefined ? undefined : Number(q.exit_code);
  if (exitCode !== undefined && (exitCode < -2147483648 || exitCode > 2147483647)) problems.push('exit_code must be a 32-bit integer');
  if (problems.length) throw new InvalidInputError(problems);
  return {
    ...runSelection(q),
    organization: q.organization,
    action: q.action,
    statuses: runStatuses(q.status),
    exitCode,
    hostname: q.hostname,
    osUser: q.os_user,
    cliVersion: q.cli_version,
    sourceName: q.source_name,
    retriggeredFrom: q.retriggered_from?.toLowerCase(),
    correlationId: q.correlation_id,
    start,
    endExclusive,
  };
}
