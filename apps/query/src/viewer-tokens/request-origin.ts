import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * The origin the request was sent to (`http://host:port`, from its protocol and Host
 * header), or undefined when the Host header is missing or not a plain host: a link
 * built on it must not carry anything else.
 */
export const RequestOrigin = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const host = req.headers.host;
  return host !== undefined && HOST.test(host) ? `${req.protocol}://${host}` : undefined;
});
