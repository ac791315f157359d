export const RUN_STATUSES = ['running', 'successful', 'failed', 'aborted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TERMINAL_STATUSES: readonly RunStatus[] = ['successful', 'failed', 'aborted'];

/** One report of an action run after validation and normalisation, as carried in the stream. */
export interface ActionRunReport {
  id: string;
  workspace: { name: string; organization: string | null };
  block: { name: string; from: string | null; version: string | null };
  action: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  exitCode: number | null;
  cliVersion: string | null;
  hostname: string | null;
  osUser: string | null;
  retriggeredFrom: string | null;
  commandId: string | null;
  /** Optional here because reports stored in the stream before it existed lack it; read as null. */
  correlationId?: string | null;
}

/** An action run as the query API returns it (docs/api.md#get-v1-action-runs). */
export interface ActionRunRecord extends ActionRunReport {
  tenantId: string;
  sourceType: 'User' | 'Application';
  sourceId: string | null;
  sourceName: string;
  receivedAt: string;
  updatedAt: string;
  correlationId: string | null;
}

export const ACTION_RUN_RECORD_FIELDS = [
  'id',
  'tenantId',
  'workspace',
  'block',
  'action',
  'status',
  'startedAt',
  'finishedAt',
  'durationMs',
  'exitCode',
  'cliVersion',
  'hostname',
  'osUser',
  'sourceType',
  'sourceId',
  'sourceName',
  'retriggeredFrom',
  'commandId',
  'receivedAt',
  'updatedAt',
  'correlationId',
] as const satisfies readonly (keyof ActionRunRecord)[];

/**
 * The tag of a block reference: `registry/path/nginx:0.3.1` -> `0.3.1`. A colon
 * before the last slash is a registry port (`localhost:5000/x/nginx` has no tag),
 * and a digest (`@sha256:…`) is not a version.
 */
export function tagOf(from: string | null | undefined): string | null {
  if (!from) return null;
  const withoutDigest = from.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash && colon < withoutDigest.length - 1 ? withoutDigest.slice(colon + 1) : null;
}

/** A block reference without its tag: what `block_from` matches "without its tag". */
export function withoutTag(from: string): string {
  const tag = tagOf(from);
  const withoutDigest = from.split('@')[0];
  return tag === null ? withoutDigest : withoutDigest.slice(0, withoutDigest.length - tag.length - 1);
}
