export const PRINCIPAL_TYPES = ['User', 'Application'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** Who submitted or requested something, as recorded in the audit trail. */
export interface Principal {
  type: PrincipalType;
  id: string;
  name: string;
}
