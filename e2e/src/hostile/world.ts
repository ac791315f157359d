import type { Template } from './template';

export type Scope = 'events:write' | 'audit:read' | 'runs:retrigger' | 'runners:manage' | 'admin';
export const ALL_SCOPES: Scope[] = ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage', 'admin'];

/** Who a request claims to be. `scopes: null` is a credential every service must refuse. */
export interface Credential {
  name: string;
  /** The Authorization header as sent; undefined sends none. */
  header?: string;
  scopes: Scope[] | null;
  runner?: boolean;
}

/** The victim tenant B: its data must never reach the attacker, and must not change. */
export interface Victim {
  tenant: string;
  /** In every string field of B's records; the attacker never sends it. */
  marker: string;
  key: string;
  keyId: string;
  runnerId: string;
  runnerToken: string;
  eventIds: string[];
  runIds: string[];
  /** The entries of B's log (`unsharedEntryIds`: those whose ids A's own log can never hold). */
  entryIds: string[];
  /**
   * Of `runIds`, those the attacker's generated reports may take as their own run id
   * (a run of A with the same id is legitimate); the others must answer A with 404.
   */
  reusableRunIds: string[];
  commandIds: string[];
  /**
   * A schedule of one of `untouchedRunIds`, with B's marker in its reason, that never
   * fires while the suite runs: A must not see, pause, resume or delete it.
   */
  scheduleId: string;
  /** Cursors B's key was given (bound to B's tenant). */
  cursors: string[];
  /**
   * The correlation id and the changed field B's records carry; A's records carry them
   * too, so filtering on them must answer A's records and never B's.
   */
  sharedCorrelationId: string;
  sharedChangedField: string;
}

/** The attacker tenant A: its credentials and the ids it may legitimately use. */
export interface Attacker {
  tenant: string;
  key: string;
  keyId: string;
  readKey: string;
  revokedKey: string;
  runnerId: string;
  runnerToken: string;
  runIds: string[];
  /** The entries of A's own log, each in a signed checkpoint: their inclusion proofs answer 200. */
  entryIds: string[];
  commandIds: string[];
  /** Cursors A's key was given, with the path they were issued for. */
  cursors: { path: string; cursor: string }[];
  /** Keys and runners the suite itself created through generated requests: safe to delete. */
  throwawayKeyIds: string[];
  throwawayRunnerIds: string[];
  throwawayScheduleIds: string[];
}

export interface World {
  victim: Victim;
  attacker: Attacker;
  rootKey: string;
}

/** What a route demands of a credential. */
export interface RouteSpec {
  scopes: Scope[];
  runnerOnly?: boolean;
  /**
   * The exact answer to an API key lacking the scopes, where nothing the request carries
   * can be refused before the scope check (otherwise any 4xx).
   */
  forbidden?: 403;
}

/**
 * What the answer must be when the credential is allowed on the route: 2xx (or 429),
 * any 4xx (or 429), an exact status, or anything below 500.
 */
export type Expect = 'accept' | 'reject' | 'any' | number;

/** Byte-level damage done to a serialised body before it is sent. */
export type WireMutation =
  | { kind: 'insertBytes'; bytes: number[] }
  | { kind: 'truncate'; keep: number }
  | { kind: 'prefix'; bytes: number[]; breaks: boolean }
  | { kind: 'suffix'; text: string; breaks: boolean }
  | { kind: 'replace'; text: string }
  | { kind: 'appendMember'; text: string }
  | { kind: 'oversize' }
  /** Sent with `Content-Encoding`; compressed only when `compressed`. */
  | { kind: 'encoding'; encoding: 'gzip' | 'deflate' | 'br'; compressed: boolean };

export interface BodySpec {
  template: Template;
  wire?: WireMutation;
  /** null sends no Content-Type at all. */
  contentType?: string | null;
}

/** Where the markers of an accepted body end up in Postgres. */
export type Sink = 'audit' | 'run' | 'timeline' | 'schedule';

export interface HttpCase {
  label: string;
  service: 'ingest' | 'query';
  method: string;
  path: string;
  /** The route this reaches; undefined for paths that may reach none. */
  route?: RouteSpec;
  cred: Credential;
  headers?: Record<string, string>;
  body?: BodySpec;
  expect: Expect;
  sink?: Sink;
  /** Records the id of something an accepted request created (throwaway keys, runners). */
  onCreated?: 'key' | 'runner' | 'command' | 'schedule';
  /** A 200 must be an empty JSON array (a filter that names only the victim's records). */
  emptyList?: boolean;
  /**
   * What a refusal must name: when the credential may use the route, a 4xx message names
   * at least one of these (the parameter or field that is wrong, or "tenant").
   */
  mentions?: string[];
}

/** The expectation once the credential is taken into account. */
export function effectiveExpect(c: HttpCase): Expect {
  if (!c.route) return 'any';
  const scopes = c.cred.scopes;
  if (scopes === null) return c.expect === 401 ? 401 : 'reject';
  if (c.route.runnerOnly) return c.cred.runner ? c.expect : 'reject';
  if (!c.route.scopes.every((s) => scopes.includes(s))) return c.route.forbidden !== undefined && !c.cred.runner ? c.route.forbidden : 'reject';
  return c.expect;
}

/** Whether the credential may use the route: then a refusal is about the request itself. */
export function allowedOn(c: HttpCase): boolean {
  const scopes = c.cred.scopes;
  return c.route !== undefined && scopes !== null && !c.cred.runner && !c.route.runnerOnly && c.route.scopes.every((s) => scopes.includes(s));
}

/** All items must be valid for a batch to pass; one invalid item fails it. */
export function combine(expects: Expect[]): Expect {
  if (expects.includes('reject') || expects.some((e) => typeof e === 'number' && e >= 400)) return 'reject';
  if (expects.every((e) => e === 'accept')) return 'accept';
  return 'any';
}

/**
 * B's log entries whose ids A never carries as ids of its own (its generated events may take
 * B's event, run and command ids, on purpose): the entries of B's run reports and
 * administrative acts. A proof of one must be 404, a list of their refs empty.
 */
export function unsharedEntryIds(v: Victim): string[] {
  const given = new Set([...v.eventIds, ...v.runIds, ...v.commandIds]);
  return v.entryIds.filter((id) => !given.has(id));
}

/** B's run ids that A never takes for a run of its own: reading or re-triggering them must be 404. */
export function untouchedRunIds(v: Victim): string[] {
  return v.runIds.filter((id) => !v.reusableRunIds.includes(id));
}
