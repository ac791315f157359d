import type { ValidateFunction } from 'ajv';
import type { ClassConstructor } from 'class-transformer';
import { MAX_BATCH_SIZE, validateBatch, type BatchValidation } from './batch';
import { findUnsafeInput } from './unsafe-input';

/**
 * validateBatch with a compiled schema in front (ADR 0022). A body every item of which
 * the schema accepts is accepted as parsed, without class-transformer and
 * class-validator; any other body goes to validateBatch, which decides and words the
 * messages. So the messages are always class-validator's, and the schema only has to
 * agree with the DTO on what it accepts (compiled-batch.spec.ts). The accepted items
 * are the parsed objects, not DTO instances: they have the DTO's shape and nothing more.
 */
export function compiledBatchValidator<T extends object>(
  dto: ClassConstructor<T>,
  schema: ValidateFunction,
  maxItems = MAX_BATCH_SIZE,
): (body: unknown) => BatchValidation<T> {
  return (body) => {
    const items: unknown[] = Array.isArray(body) ? body : [body];
    if (items !== body || (items.length >= 1 && items.length <= maxItems)) {
      let accepted = true;
      for (const item of items) {
        if (item === null || typeof item !== 'object' || Array.isArray(item) || findUnsafeInput(item) || !schema(item)) {
          accepted = false;
          break;
        }
      }
      if (accepted) return { ok: true, items: items as T[] };
    }
    return validateBatch(dto, body, maxItems);
  };
}
