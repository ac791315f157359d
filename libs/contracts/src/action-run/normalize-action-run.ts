import { parseZonedDateTime } from '../validation/dates';
import { tagOf, type ActionRunReport } from './action-run';
import type { ActionRunDto } from './action-run.dto';

function iso(value: string | undefined): string | null {
  if (value === undefined) return null;
  const date = parseZonedDateTime(value);
  if (!date) throw new Error('normalizeActionRun called with an unvalidated report');
  return date.toISOString();
}

/** Fills the defaults the contract gives (block version, duration) once, at the gateway. */
export function normalizeActionRun(dto: ActionRunDto): ActionRunReport {
  const startedAt = iso(dto.startedAt)!;
  const finishedAt = iso(dto.finishedAt);
  const derived = finishedAt === null ? null : Date.parse(finishedAt) - Date.parse(startedAt);
  return {
    id: dto.id.toLowerCase(),
    workspace: { name: dto.workspace.name, organization: dto.workspace.organization ?? null },
    block: {
      name: dto.block.name,
      from: dto.block.from ?? null,
      version: dto.block.version ?? tagOf(dto.block.from),
    },
    action: dto.action,
    status: dto.status,
    startedAt,
    finishedAt,
    durationMs: dto.durationMs ?? derived,
    exitCode: dto.exitCode ?? null,
    cliVersion: dto.cliVersion ?? null,
    hostname: dto.hostname ?? null,
    osUser: dto.osUser ?? null,
    retriggeredFrom: dto.retriggeredFrom?.toLowerCase() ?? null,
    commandId: dto.commandId?.toLowerCase() ?? null,
    correlationId: dto.correlationId ?? null,
  };
}
