import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { AllowViewer, CurrentAuth, RequireAnyKey, type AuthContext } from '@runtrail/auth';
import { ReadRoute } from '../shared/routes/route-kinds';
import { TakesNoQuery } from '../shared/validation/takes-no-query.decorator';
import { GetWhoami } from './usecases/get-whoami/get-whoami.usecase';
import { WhoamiView } from './whoami-view';

@ApiBearerAuth()
@Controller('v1/whoami')
export class WhoamiController {
  constructor(private readonly whoami: GetWhoami) {}

  @Get()
  @RequireAnyKey()
  @AllowViewer()
  @TakesNoQuery()
  @ApiOperation({
    summary: 'Who the caller is: kind, key id and name, tenant, principal type, scopes, expiry',
    description: 'Any API key, the root key or a viewer token, whatever its scopes; a runner token is answered 403.',
  })
  @ReadRoute(WhoamiView)
  get(@CurrentAuth() auth: AuthContext): WhoamiView {
    return this.whoami.execute({ auth });
  }
}
