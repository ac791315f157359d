import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { describeUnsafeInput, findUnsafeInput } from './unsafe-input';

export const MAX_BATCH_SIZE = 1000;

export type BatchValidation<T> = { ok: true; items: T[] } | { ok: false; messages: string[] };

function flatten(errors: ValidationError[], prefix: string): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const path = `${prefix}${e.property}`;
    for (const [name, msg] of Object.entries(e.constraints ?? {})) {
      // class-validator words unknown fields as "property x should not exist".
      out.push(name === 'whitelistValidation' ? `${path} is not a known field` : `${prefix}${msg}`);
    }
    if (e.children?.length) out.push(...flatten(e.children, `${path}.`));
  }
  return out;
}

/**
 * Validates a request body that is one object or an array of 1 to 1000 objects.
 * All-or-nothing: any invalid item fails the whole batch. Messages about items of
 * an array begin with the item's 0-based index, as in `[3].happenedAt must be ...`.
 */
export function validateBatch<T extends object>(
  dto: ClassConstructor<T>,
  body: unknown,
  maxItems = MAX_BATCH_SIZE,
): BatchValidation<T> {
  const isArray = Array.isArray(body);
  const raw: unknown[] = isArray ? body : [body];
  if (isArray && (raw.length < 1 || raw.length > maxItems)) {
    return { ok: false, messages: [`body must be one object or an array of 1 to ${maxItems} objects`] };
  }
  const messages: string[] = [];
  const items: T[] = [];
  raw.forEach((item, i) => {
    const prefix = isArray ? `[${i}].` : '';
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      messages.push(isArray ? `[${i}] must be an object` : 'body must be a JSON object or an array of objects');
      return;
    }
    const unsafe = findUnsafeInput(item);
    if (unsafe) {
      messages.push(`${prefix}${describeUnsafeInput(unsafe, 'field', isArray ? 'item' : 'body')}`);
      return;
    }
    const instance = plainToInstance(dto, item);
    const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    if (errors.length) messages.push(...flatten(errors, prefix));
    else items.push(instance);
  });
  return messages.length ? { ok: false, messages } : { ok: true, items };
}
