import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { InvalidInputError } from '@runtrail/platform';

/**
 * Validates query parameters against a DTO of optional strings. Unknown parameters
 * are a 400: an auditor's misspelt filter must not silently widen the answer. A
 * parameter given twice arrives as an array and fails its string check.
 */
export function parseQuery<T extends object>(dto: ClassConstructor<T>, raw: Record<string, unknown>): T {
  const instance = plainToInstance(dto, raw);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    throw new InvalidInputError(
      errors.flatMap((e) =>
        Object.entries(e.constraints ?? {}).map(([name, msg]) =>
          name === 'whitelistValidation' ? `${e.property} is not a known query parameter` : msg,
        ),
      ),
    );
  }
  return instance;
}
