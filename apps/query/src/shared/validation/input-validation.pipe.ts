import { Injectable, type ArgumentMetadata, type PipeTransform, type Type } from '@nestjs/common';
import { mayOmitBody } from './optional-body.decorator';
import { parseBody, parsePathParams, parseQuery } from './parse-input';

const PLAIN_TYPES: unknown[] = [String, Number, Boolean, Object, Array];

function isDto(metatype: Type | undefined): metatype is Type<object> {
  return typeof metatype === 'function' && !PLAIN_TYPES.includes(metatype);
}

/**
 * The one check of request input, registered as the app's APP_PIPE: a `@Body()`,
 * `@Query()` or `@Param()` typed with a DTO class reaches the controller validated, as
 * an instance of that class, or the request fails with a 400 naming every problem.
 * Anything else (`@Param('id') id: string`, `@CurrentAuth()`) passes through untouched.
 */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  transform(value: unknown, { type, metatype }: ArgumentMetadata): unknown {
    if (!isDto(metatype)) return value;
    switch (type) {
      case 'body':
        return parseBody(metatype, (value === undefined || value === null) && mayOmitBody(metatype) ? {} : value);
      case 'query':
        return parseQuery(metatype, value as Record<string, unknown>);
      case 'param':
        return parsePathParams(metatype, value as Record<string, unknown>);
      default:
        return value;
    }
  }
}
