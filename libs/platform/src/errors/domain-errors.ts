/**
 * Errors the use cases throw. They carry no HTTP status: the one exception filter
 * maps them, so the same use case can serve HTTP, a NATS handler or a script.
 */
export abstract class DomainError extends Error {
  abstract readonly kind:
    | 'invalid-input'
    | 'unauthenticated'
    | 'forbidden'
    | 'not-found'
    | 'conflict'
    | 'payload-too-large'
    | 'unsupported-media-type'
    | 'rate-limited'
    | 'dependency-unavailable';

  /** One message or several (one per invalid field). */
  readonly messages: string[];

  /** Set by errors the caller may retry: how long to wait, sent as `Retry-After`. */
  readonly retryAfterSeconds?: number;

  protected constructor(messages: string | string[]) {
    const list = Array.isArray(messages) ? messages : [messages];
    super(list.join('; '));
    this.messages = list;
    this.name = new.target.name;
  }
}

export class InvalidInputError extends DomainError {
  readonly kind = 'invalid-input';
  constructor(messages: string | string[]) {
    super(messages);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
  constructor(message = 'missing, unknown or revoked API key') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(message: string) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(message: string) {
    super(message);
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(message: string) {
    super(message);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly kind = 'payload-too-large';
  constructor(message = 'request body is larger than 1 MiB') {
    super(message);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly kind = 'unsupported-media-type';
  constructor(message = 'request body must be application/json') {
    super(message);
  }
}

/** The caller sent more requests than its key's or its tenant's share; it may retry later. */
export class RateLimitedError extends DomainError {
  readonly kind = 'rate-limited';
  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A dependency (NATS, Postgres) is unreachable; the client should retry later. */
export class DependencyUnavailableError extends DomainError {
  readonly kind = 'dependency-unavailable';
  constructor(
    message: string,
    override readonly retryAfterSeconds = 5,
  ) {
    super(message);
  }
}
