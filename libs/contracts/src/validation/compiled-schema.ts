import Ajv, { type SchemaObject, type ValidateFunction } from 'ajv';
import { isUUID, length } from 'class-validator';

/** A rule of ours on one value (or, on an object's schema, on the whole object). */
export type ValueCheck = (value: unknown) => boolean;

/**
 * IsOptional's meaning in JSON Schema: null or absent is no value, and then nothing
 * else is checked (an absent property is simply not in `required`).
 */
export function optional(schema: SchemaObject): SchemaObject {
  return { anyOf: [{ type: 'null' }, schema] };
}

/**
 * Compiles a JSON Schema for the gateway's hot path (ADR 0022). The structure (types,
 * required and unknown fields, enums, integer bounds, patterns) is plain JSON Schema;
 * what only class-validator means exactly, or only our code, is a keyword that calls
 * the very function the DTO's decorator calls:
 *
 * - `cvLength: [min, max]`: class-validator's `length` (validator.js counts a surrogate
 *   pair, and a character with its variation selector, as one; JSON Schema's maxLength
 *   counts code points);
 * - `cvUuid: true`: class-validator's `isUUID(value, 'all')`;
 * - `check: name`: the named check of `checks` (dates, context, changes, cross-field rules).
 *
 * `pattern`s are compiled without the `u` flag, as the DTOs' RegExps are (`\S{1,128}`
 * counts UTF-16 code units there). The DTOs stay the contract: compiled-batch.spec.ts
 * proves that both accept and refuse the same bodies.
 */
export function compileSchema(schema: SchemaObject, checks: Record<string, ValueCheck>): ValidateFunction {
  const ajv = new Ajv({ allErrors: false, unicodeRegExp: false, strict: true });
  ajv.addKeyword({
    keyword: 'cvLength',
    type: 'string',
    schemaType: 'array',
    compile: ([min, max]: [number, number]) => (value: string) => length(value, min, max),
  });
  ajv.addKeyword({ keyword: 'cvUuid', type: 'string', schemaType: 'boolean', compile: () => (value: string) => isUUID(value, 'all') });
  ajv.addKeyword({
    keyword: 'check',
    schemaType: 'string',
    compile: (name: string) => {
      const check = checks[name];
      if (!check) throw new Error(`no check named ${name}`);
      return check;
    },
  });
  return ajv.compile(schema);
}
