import { Module } from '@nestjs/common';
import { PagingModule } from '../shared/paging/paging.module';
import { TimelineModule } from '../shared/timeline/timeline.module';
import { ApiKeysController } from './api-keys.controller';
import { TenantKeys } from './tenant-keys';
import { CreateApiKey } from './usecases/create-api-key/create-api-key.usecase';
import { ListApiKeys } from './usecases/list-api-keys/list-api-keys.usecase';
import { RevokeApiKey } from './usecases/revoke-api-key/revoke-api-key.usecase';
import { RotateApiKey } from './usecases/rotate-api-key/rotate-api-key.usecase';

/** API keys: creation, listing, rotation and revocation, within the caller's tenant. */
@Module({
  imports: [PagingModule, TimelineModule],
  controllers: [ApiKeysController],
  providers: [TenantKeys, CreateApiKey, ListApiKeys, RotateApiKey, RevokeApiKey],
})
export class ApiKeysModule {}
