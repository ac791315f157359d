export const SCOPES = ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Tenant ids are slugs so they can be used verbatim as a NATS subject token. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `rt_` followed by at least 32 base62 characters. */
export const API_KEY_PATTERN = /^rt_[A-Za-z0-9]{32,128}$/;
