/**
 * TEMPORARY: `GET /v1/whoami` and `POST /v1/viewer-tokens` as the console spec describes
 * them, until the query service serves them and `npm run console:api-types` puts them in
 * schema.d.ts. Then this file goes, and ConsolePaths is schema.d.ts's `paths` alone.
 */

interface NoParameters {
  query?: never;
  header?: never;
  path?: never;
  cookie?: never;
}

interface NotAllowed {
  put?: never;
  delete?: never;
  options?: never;
  head?: never;
  patch?: never;
  trace?: never;
}

export interface WhoamiView {
  kind: 'root' | 'key' | 'viewer';
  keyId: string;
  name: string;
  tenantId: string | null;
  principalType: 'User' | 'Application';
  scopes: ('events:write' | 'audit:read' | 'runs:retrigger' | 'runners:manage' | 'admin')[];
  expiresAt: string | null;
  sourceId: string | null;
}

export interface CreateViewerTokenDto {
  ttlSeconds?: number;
  sourceId?: string;
  tenantId?: string;
}

export interface CreatedViewerTokenView {
  token: string;
  expiresAt: string;
  url: string;
  tenantId: string;
  sourceId: string | null;
}

export interface pendingPaths {
  '/v1/whoami': NotAllowed & {
    parameters: NoParameters;
    post?: never;
    get: {
      parameters: NoParameters;
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { 'application/json': WhoamiView } } };
    };
  };
  '/v1/viewer-tokens': NotAllowed & {
    parameters: NoParameters;
    get?: never;
    post: {
      parameters: NoParameters;
      requestBody: { content: { 'application/json': CreateViewerTokenDto } };
      responses: { 201: { headers: { [name: string]: unknown }; content: { 'application/json': CreatedViewerTokenView } } };
    };
  };
}
