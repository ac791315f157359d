import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { describeUnsafeInput, findUnsafeInput } from '@runtrail/contracts';
import { InvalidInputError } from '@runtrail/platform';

/** One message per problem: a field whose rules share one message (an integer in a range) says it once. */
function messages(errors: ValidationError[], unknownWord: string): string[] {
  return errors.flatMap((e) => [
    ...new Set(
      Object.entries(e.constraints ?? {}).map(([name, msg]) =>
        name === 'whitelistValidation' ? `${e.property} is not a known ${unknownWord}` : msg,
      ),
    ),
  ]);
}

function validated<T extends object>(dto: ClassConstructor<T>, raw: object, unknownWord: string): T {
  const instance = plainToInstance(dto, raw);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new InvalidInputError(messages(errors, unknownWord));
  return instance;
}

/** Validates a JSON object body against a DTO; unknown fields are a 400. */
export function parseBody<T extends object>(dto: ClassConstructor<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidInputError('body must be a JSON object');
  }
  const unsafe = findUnsafeInput(body);
  if (unsafe) throw new InvalidInputError(describeUnsafeInput(unsafe, 'field'));
  return validated(dto, body, 'field');
}

/**
 * Validates query parameters against a DTO of optional strings. Unknown parameters
 * are a 400: an auditor's misspelt filter must not silently widen the answer. A
 * parameter given twice arrives as an array and fails its string check. NUL in a
 * value and names of Object.prototype's members are refused first.
 */
export function parseQuery<T extends object>(dto: ClassConstructor<T>, raw: Record<string, unknown>): T {
  // NUL would reach Postgres as a bound value (and fail there); names such as
  // `constructor` slip through the whitelist below.
  const unsafe = findUnsafeInput(raw);
  if (unsafe) throw new InvalidInputError(describeUnsafeInput(unsafe, 'query parameter', 'query'));
  return validated(dto, raw, 'query parameter');
}

/** For routes that take no query parameters: any one given is a 400, like an unknown filter. */
export function refuseQuery(raw: Record<string, unknown>): void {
  const names = Object.keys(raw);
  if (names.length) throw new InvalidInputError(names.map((n) => `${n} is not a known query parameter`));
}

/**
 * Validates path parameters against a DTO. Only their own rules apply (an id with NUL
 * in it is `id must be a UUID`), so there is no unsafe-input scan first.
 */
export function parsePathParams<T extends object>(dto: ClassConstructor<T>, raw: Record<string, unknown>): T {
  return validated(dto, raw, 'path parameter');
}
