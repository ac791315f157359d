import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import { ApiKeyView, CreatedApiKeyView } from './api-key-views';
import { ApiKeysUseCases } from './api-keys.usecases';
import { CreateApiKeyDto } from './create-api-key.dto';

@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysUseCases) {}

  @Post()
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Create a key; the key is in this answer only' })
  @ApiBody({ type: CreateApiKeyDto })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  create(@CurrentAuth() auth: AuthContext, @Body() body: unknown): Promise<CreatedApiKeyView> {
    return this.keys.create(auth, body);
  }

  @Get()
  @RequireScopes('admin')
  @ApiOperation({ summary: "List keys (the caller's tenant; every tenant for the root key), without secrets" })
  @ApiOkResponse({ type: ApiKeyView, isArray: true })
  list(@CurrentAuth() auth: AuthContext): Promise<ApiKeyView[]> {
    return this.keys.list(auth);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Revoke a key; every service refuses it within 5 seconds' })
  revoke(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    return this.keys.revoke(auth, id);
  }
}
