import { Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import { ChangeRoute } from '../shared/routes/route-kinds';
import { OptionalBody } from '../shared/validation/optional-body.decorator';
import { CreateViewerTokenDto } from './create-viewer-token.dto';
import { RequestOrigin } from './request-origin';
import { CreateViewerToken } from './usecases/create-viewer-token/create-viewer-token.usecase';
import { CreatedViewerTokenView } from './viewer-token-views';

@ApiBearerAuth()
@Controller('v1/viewer-tokens')
export class ViewerTokensController {
  constructor(private readonly createToken: CreateViewerToken) {}

  @Post()
  @RequireScopes('admin')
  @ApiOperation({
    summary: "Create a read-only token for a tenant's timeline, to embed; the token is in this answer only",
    description:
      'The token reads GET /v1/audit (pages and downloads) of one tenant, only one sourceId when given, and calls ' +
      'GET /v1/whoami; every other route answers it 403. It stops at expiresAt, or when the creating key is revoked or expires.',
  })
  @ChangeRoute({ status: 201, answer: CreatedViewerTokenView, takesBody: true })
  create(@CurrentAuth() auth: AuthContext, @OptionalBody() body: CreateViewerTokenDto, @RequestOrigin() requestOrigin: string | undefined): Promise<CreatedViewerTokenView> {
    return this.createToken.execute({ auth, ...body, requestOrigin });
  }
}
