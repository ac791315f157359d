/**
 * The database roles a service takes for one transaction (`SET LOCAL ROLE`), so row
 * level security applies to it; created by the row-level-security migration.
 * Fixed names from code, never from input: they are spliced into SQL as identifiers.
 */
export const DB_ROLES = {
  /** Reads one tenant: the tenant bound by `TENANT_SETTING`. */
  query: 'runtrail_query',
  /** Reads every tenant: the root key only. */
  queryRoot: 'runtrail_query_root',
  /** Writes every tenant's projections. */
  projector: 'runtrail_projector',
  /** Reads every tenant's integrity log and adds signed checkpoints: the query service's signer. */
  integrity: 'runtrail_integrity',
} as const;

/** The transaction-local setting the `tenant_isolation` policies compare `tenant_id` with. */
export const TENANT_SETTING = 'runtrail.tenant_id';
