import type { components, paths } from './schema';

/** Every route the console calls, typed from the query service's OpenAPI document. */
export type ConsolePaths = paths;

type Schemas = components['schemas'];

export type AuditRecord = Schemas['AuditRecordDto'];
/** What an audit event says changed: field name → before and/or after. */
export type AuditChanges = NonNullable<AuditRecord['changes']>;
export type ActionRun = Schemas['ActionRunView'];
export type ActionRunDetail = Schemas['ActionRunDetailView'];
export type RunStatus = ActionRun['status'];
export type RunStatsBucket = Schemas['RunStatsBucketView'];
export type Deployment = Schemas['DeploymentView'];
export type Command = Schemas['CommandViewDto'];
export type CommandStatus = Command['status'];
export type Runner = Schemas['RunnerView'];
export type ApiKey = Schemas['ApiKeyView'];
export type Scope = Schemas['CreateApiKeyDto']['scopes'][number];
export type PrincipalType = Schemas['CreateApiKeyDto']['principalType'];
export type Whoami = Schemas['WhoamiView'];
export type CreatedViewerToken = Schemas['CreatedViewerTokenView'];
export type Schedule = Schemas['ScheduleViewDto'];
export type CreateSchedule = Schemas['CreateScheduleDto'];
/** A stream as GET /v1/streams, pause and resume answer it: with its state, last delivery, last error and lag. */
export type Stream = Schemas['StreamStatusViewDto'];
export type StreamKind = Stream['kind'];
export type StreamFilter = Stream['filter'];
export type CreateStream = Schemas['CreateStreamDto'];

type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

export type AuditQuery = QueryOf<'/v1/audit'>;
export type RunsQuery = QueryOf<'/v1/action-runs'>;
export type StatsQuery = QueryOf<'/v1/action-runs/stats'>;
export type DeploymentsQuery = QueryOf<'/v1/deployments'>;
