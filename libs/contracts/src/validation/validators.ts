import { isIP, registerDecorator, type ValidationOptions } from 'class-validator';
import { parseZonedDateTime } from './dates';

/** Names and ids are bounded to this many characters unless a field says otherwise. */
export const MAX_NAME_LENGTH = 256;

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
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          const date = parseZonedDateTime(value);
          return date !== undefined && date.getTime() <= Date.now() + maxFutureMs;
        },
      },
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
