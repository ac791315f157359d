import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** The OpenAPI description every submission endpoint shares: one object or a batch of 1 to 1000. */
export function ApiSubmission(dto: Type<unknown>, idsField: string, summary: string, description?: string) {
  return applyDecorators(
    ApiBearerAuth(),
    ApiExtraModels(dto),
    ApiOperation({ summary, description }),
    ApiBody({
      schema: {
        oneOf: [
          { $ref: getSchemaPath(dto) },
          { type: 'array', minItems: 1, maxItems: 1000, items: { $ref: getSchemaPath(dto) } },
        ],
      },
    }),
    ApiResponse({
      status: 202,
      description: 'Stored durably in the stream',
      schema: {
        type: 'object',
        properties: { accepted: { type: 'integer' }, [idsField]: { type: 'array', items: { type: 'string', format: 'uuid' } } },
      },
    }),
    ApiResponse({ status: 400, description: 'Invalid input; messages name the item index and field' }),
    ApiResponse({ status: 401, description: 'Missing, unknown or revoked key' }),
    ApiResponse({ status: 403, description: 'Key lacks events:write' }),
    ApiResponse({ status: 413, description: 'Body over 1 MiB' }),
    ApiResponse({ status: 415, description: 'Body is not JSON' }),
    ApiResponse({ status: 503, description: 'The event store is unreachable; retry after Retry-After' }),
  );
}
