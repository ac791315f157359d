import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { Page } from '../shared/paging/page';
import { PageParamsDto, toPaging } from '../shared/paging/paging-params.dto';
import { ChangeRoute, ListRoute } from '../shared/routes/route-kinds';
import { OptionalBody } from '../shared/validation/optional-body.decorator';
import { ApiKeyView, CreatedApiKeyView } from './api-key-views';
import { CreateApiKeyDto } from './create-api-key.dto';
import { RotateApiKeyDto } from './rotate-api-key.dto';
import { CreateApiKey } from './usecases/create-api-key/create-api-key.usecase';
import { ListApiKeys } from './usecases/list-api-keys/list-api-keys.usecase';
import { RevokeApiKey } from './usecases/revoke-api-key/revoke-api-key.usecase';
import { RotateApiKey } from './usecases/rotate-api-key/rotate-api-key.usecase';

@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(
    private readonly createKey: CreateApiKey,
    private readonly listKeys: ListApiKeys,
    private readonly rotateKey: RotateApiKey,
    private readonly revokeKey: RevokeApiKey,
  ) {}

  @Post()
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Create a key; the key is in this answer only' })
  @ChangeRoute({ status: 201, answer: CreatedApiKeyView, takesBody: true })
  create(@CurrentAuth() auth: AuthContext, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    return this.createKey.execute({ auth, ...body });
  }

  @Get()
  @RequireScopes('admin')
  @ApiOperation({ summary: "List keys (the caller's tenant; every tenant for the root key), without secrets" })
  @ListRoute(ApiKeyView)
  list(@CurrentAuth() auth: AuthContext, @Query() query: PageParamsDto): Promise<Page<ApiKeyView>> {
    return this.listKeys.execute({ auth, paging: toPaging(query).paging });
  }

  @Post(':id/rotate')
  @RequireScopes('admin')
  @ApiOperation({
    summary: 'Replace a key by a new one with the same tenant, name, principal and scopes',
    description: 'The old key keeps working for overlapSeconds (default one day), then is refused. 409 when it was already rotated, revoked or expired.',
  })
  @ChangeRoute({ status: 201, answer: CreatedApiKeyView, takesBody: true, onRecord: true, mayConflict: true })
  rotate(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @OptionalBody() body: RotateApiKeyDto): Promise<CreatedApiKeyView> {
    return this.rotateKey.execute({ auth, keyId: id, ...body });
  }

  @Delete(':id')
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Revoke a key; every service refuses it within 5 seconds' })
  @ChangeRoute({ status: 204, onRecord: true })
  revoke(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    return this.revokeKey.execute({ auth, keyId: id });
  }
}
