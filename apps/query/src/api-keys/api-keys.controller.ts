import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { Request, Response } from 'express';
import { readListQuery, sendPage } from '../paging/list-response';
import { PageParamsDto } from '../paging/paging-params.dto';
import { ApiKeyView, CreatedApiKeyView } from './api-key-views';
import { ApiKeysUseCases } from './api-keys.usecases';
import { CreateApiKeyDto } from './create-api-key.dto';
import { RotateApiKeyDto } from './rotate-api-key.dto';

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
  async list(
    @CurrentAuth() auth: AuthContext,
    @Query() _documented: PageParamsDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { paging } = readListQuery(req, PageParamsDto);
    sendPage(req, res, paging, await this.keys.list(auth, paging));
  }

  @Post(':id/rotate')
  @RequireScopes('admin')
  @ApiOperation({
    summary: 'Replace a key by a new one with the same tenant, name, principal and scopes',
    description: 'The old key keeps working for overlapSeconds (default one day), then is refused. 409 when it was already rotated, revoked or expired.',
  })
  @ApiBody({ type: RotateApiKeyDto, required: false })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  rotate(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<CreatedApiKeyView> {
    return this.keys.rotate(auth, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Revoke a key; every service refuses it within 5 seconds' })
  revoke(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    return this.keys.revoke(auth, id);
  }
}
