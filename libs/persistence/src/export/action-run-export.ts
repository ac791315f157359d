import { runKeysetWhere, type RunFilter } from '../reads/action-run-reads';
import type { KeysetPosition, ValuesQuery } from '../sql/read-query';
import { actionRunsTable } from '../tables/action-runs.table';
import { RecordLayout, exportChunkEndsQuery, write, type ExportChunk, type ExportFormat } from './record-layout';

/** An action run as a line of a download: the fields of `toActionRunRecord`, in its order. */
export const ACTION_RUN_RECORD_LAYOUT = new RecordLayout([
  ['id', write.string('id')],
  ['tenantId', write.string('tenant_id')],
  ['workspace', write.object(['name', write.string('workspace_name')], ['organization', write.string('workspace_organization')])],
  ['block', write.object(['name', write.string('block_name')], ['from', write.string('block_from')], ['version', write.string('block_version')])],
  ['action', write.string('action')],
  ['status', write.string('status')],
  ['startedAt', write.time('started_at')],
  ['finishedAt', write.time('finished_at')],
  ['durationMs', write.number('duration_ms')],
  ['exitCode', write.number('exit_code')],
  ['cliVersion', write.string('cli_version')],
  ['hostname', write.string('hostname')],
  ['osUser', write.string('os_user')],
  ['sourceType', write.string('source_type')],
  ['sourceId', write.string('source_id')],
  ['sourceName', write.string('source_name')],
  ['retriggeredFrom', write.string('retriggered_from')],
  ['commandId', write.string('command_id')],
  ['receivedAt', write.time('received_at')],
  ['updatedAt', write.time('updated_at')],
  ['correlationId', write.string('correlation_id')],
]);

/**
 * The next `limit` runs of a download after a keyset position, as lines of the file,
 * formatted by Postgres (same filters, order and indexes as the pages).
 */
export function actionRunExportChunk(
  tenantId: string | null,
  f: RunFilter,
  format: ExportFormat,
  limit: number,
  after?: KeysetPosition,
): ValuesQuery<ExportChunk> {
  return ACTION_RUN_RECORD_LAYOUT.chunkQuery(actionRunsTable.name, 'started_at', runKeysetWhere(tenantId, f, after), format, limit);
}

/** Where the next `count` chunks of `every` records of a download end, if they are full (exportChunkEndsQuery). */
export function actionRunExportChunkEnds(tenantId: string | null, f: RunFilter, every: number, count: number, after?: KeysetPosition): ValuesQuery<KeysetPosition[]> {
  return exportChunkEndsQuery(actionRunsTable.name, 'started_at', runKeysetWhere(tenantId, f, after), every, count);
}
