import type { paths } from '../api/schema';

/**
 * Retention's shapes (CONTRACT §8), taken from the routes of the generated schema rather than
 * from its schema names, so that they hold whatever the query service calls its DTOs.
 */
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;

type RetentionRoute = paths['/v1/retention'];
type ApplyRoute = paths['/v1/retention/apply'];

/** A tenant's policy as `GET` and `PUT /v1/retention` answer it, with its last removal. */
export type Retention = JsonOf<RetentionRoute['get']['responses'][200]>;
/** The last removal: entries of the log before `upToIndex`, received before `upTo`, removed `at`. */
export type RetentionRemoval = NonNullable<Retention['removed']>;
/** `PUT /v1/retention`: a field left out keeps its value. */
export type RetentionChange = JsonOf<NonNullable<RetentionRoute['put']['requestBody']>>;
/** `POST /v1/retention/apply`'s 202: how many entries went, and up to which receipt time. */
export type RetentionApplied = JsonOf<ApplyRoute['post']['responses'][202]>;
/** The policy alone, as the helpers that word it need it. */
export type RetentionPolicy = Pick<Retention, 'days' | 'legalHold'>;
