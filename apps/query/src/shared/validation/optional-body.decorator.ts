import { Body, type Type } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';

const MAY_BE_OMITTED = Symbol('runtrail:body-may-be-omitted');

/**
 * `@Body()` for a route whose body may be left out: no body, or JSON `null`, reads as
 * `{}` and is then validated like any other. OpenAPI marks the body optional.
 *
 * The validation pipe only sees the DTO class, so the mark is kept on it: the DTO is
 * this route's body and no other route's.
 */
export function OptionalBody(): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) throw new Error('@OptionalBody() belongs on a route handler parameter');
    const dto = (Reflect.getMetadata('design:paramtypes', target, key) as Type[])[index];
    Reflect.defineMetadata(MAY_BE_OMITTED, true, dto);
    Body()(target, key, index);
    const handler = Object.getOwnPropertyDescriptor(target, key);
    if (handler) ApiBody({ type: dto, required: false })(target, key, handler);
  };
}

export function mayOmitBody(dto: Type): boolean {
  return Reflect.getMetadata(MAY_BE_OMITTED, dto) === true;
}
