import { isIP, registerDecorator, type ValidationOptions } from 'class-validator';
import { parseZonedDateTime } from './dates';

/** Names and ids are bounded to this many characters unless a field says otherwise. */
export const MAX_NAME_LENGTH = 256;

/** Whether `value` is an ISO-8601 date-time with a zone, no further than `maxFutureMs` ahead of now. */
export function isRecentZonedDateTime(value: unknown, maxFutureMs: number): boolean {
  if (typeof value !== 'string') return false;
  const date = parseZonedDateTime(value);
  return date !== undefined && date.getTime() <= Date.now() + maxFutureMs;
}

/** An ISO-8601 date-time with a zone, no further than `maxFutureMs` ahead of now. */
export function IsZonedDateTime(maxFutureMs: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isZonedDateTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `$property must be an ISO-8601 date-time with a zone, at most ${maxFutureMs / 60_000} minutes in the future`,
        ...options,
      },
      validator: { validate: (value: unknown) => isRecentZonedDateTime(value, maxFutureMs) },
    });
}

export interface StringMapRules {
  maxKeys: number;
  maxBytes: number;
  keyPattern: RegExp;
  maxValueLength: Record<string, number>;
  defaultMaxValueLength: number;
  ipFields: string[];
}

/** Returns what is wrong with a context-like object of string values, or undefined. */
export function checkStringMap(value: unknown, rules: StringMapRules): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be an object of string values';
  const entries = Object.entries(value);
  if (entries.length > rules.maxKeys) return `must have at most ${rules.maxKeys} keys`;
  if (Buffer.byteLength(JSON.stringify(value)) > rules.maxBytes) return `must be at most ${rules.maxBytes} bytes`;
  for (const [key, v] of entries) {
    if (!rules.keyPattern.test(key)) return `key "${key.slice(0, 64)}" must match ${rules.keyPattern}`;
    if (typeof v !== 'string') return `.${key} must be a string`;
    const max = rules.maxValueLength[key] ?? rules.defaultMaxValueLength;
    if (v.length > max) return `.${key} must be at most ${max} characters`;
    if (rules.ipFields.includes(key) && !isIP(v)) return `.${key} must be a valid IPv4 or IPv6 address`;
  }
  return undefined;
}

export function IsStringMap(rules: StringMapRules, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStringMap',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) => {
          const problem = checkStringMap(args.value, rules) ?? 'is invalid';
          return problem.startsWith('.') ? `${args.property}${problem}` : `${args.property} ${problem}`;
        },
        ...options,
      },
      validator: {
        validate: (value: unknown) => checkStringMap(value, rules) === undefined,
      },
    });
}

/** A correlation id: 1 to 128 printable characters (docs/api.md#changes-and-correlationid). */
export const CORRELATION_ID_PATTERN = /^[^\p{Cc}]{1,128}$/u;
export const CORRELATION_ID_MESSAGE = 'must be 1 to 128 printable characters';

export function isCorrelationId(value: unknown): boolean {
  return typeof value === 'string' && CORRELATION_ID_PATTERN.test(value);
}

/** `correlationId` of a body: a string of 1 to 128 printable characters (with @IsOptional: null or absent is none). */
export function IsCorrelationId(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCorrelationId',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property ${CORRELATION_ID_MESSAGE}`, ...options },
      validator: {
        validate: isCorrelationId,
      },
    });
}

/** The name of a changed field; also what the `changed_field` filter takes. */
export const CHANGED_FIELD_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export const CHANGES_RULES = { maxFields: 64, maxBytes: 16 * 1024 } as const;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Returns what is wrong with an audit event's `changes`, or undefined. */
export function checkChanges(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'must be an object of field name to { before, after }';
  const entries = Object.entries(value);
  if (entries.length > CHANGES_RULES.maxFields) return `must have at most ${CHANGES_RULES.maxFields} fields`;
  if (Buffer.byteLength(JSON.stringify(value)) > CHANGES_RULES.maxBytes) {
    return `must be at most ${CHANGES_RULES.maxBytes} bytes as UTF-8 JSON`;
  }
  for (const [field, change] of entries) {
    if (!CHANGED_FIELD_PATTERN.test(field)) return `key ${JSON.stringify(field.slice(0, 64))} must match ${CHANGED_FIELD_PATTERN.source}`;
    if (!isPlainObject(change) || Object.keys(change).some((k) => k !== 'before' && k !== 'after')) {
      return `.${field} must be an object with only before and/or after`;
    }
  }
  return undefined;
}

/** `changes` of an audit event (with @IsOptional: null or absent is no changes). */
export function IsFieldChanges(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isFieldChanges',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) => {
          const problem = checkChanges(args.value) ?? 'is invalid';
          return problem.startsWith('.') ? `${args.property}${problem}` : `${args.property} ${problem}`;
        },
        ...options,
      },
      validator: {
        validate: (value: unknown) => checkChanges(value) === undefined,
      },
    });
}
