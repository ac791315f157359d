/** The three kinds of entry in a tenant's log (CONTRACT §6). */
export const ENTRY_KINDS = ['audit-event', 'action-run-report', 'admin-act'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** `RUNTRAIL_INSTALLATION`: names this installation in every origin. */
export const INSTALLATION_PATTERN = /^[a-z0-9][a-z0-9.-]{0,62}$/;
export const DEFAULT_INSTALLATION = 'local';

/**
 * A tenant log's origin: the first line of its checkpoints and the name of its signed-note
 * key, so each tenant has its own verifier key although the service signs with one key.
 */
export function logOrigin(installation: string, tenantId: string): string {
  return `runtrail/${installation}/${tenantId}`;
}
