import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import { ChangeRoute } from '../shared/routes/route-kinds';
import { ErasureDto } from './erasure.dto';
import { ErasureView } from './erasure-views';
import { ErasePersonalData } from './usecases/erase-personal-data/erase-personal-data.usecase';

@ApiBearerAuth()
@Controller('v1/erasure')
export class ErasureController {
  constructor(private readonly erase: ErasePersonalData) {}

  @Post()
  @RequireScopes('admin')
  @ApiOperation({
    summary: "Erase a personal value from every personal field of the tenant's log entries",
    description:
      'Within seconds the value reads "[erased]" in every answer; it is gone from the tables and the vault, the stream only ever held its ' +
      'keyed digest, and every proof and checkpoint still verifies (docs/integrity.md#erasure). The timeline records the act ' +
      '(action Erase, entity PersonalData) with the reason and without the value.',
  })
  @ChangeRoute({ status: 202, answer: ErasureView, takesBody: true })
  create(@CurrentAuth() auth: AuthContext, @Body() body: ErasureDto): Promise<ErasureView> {
    return this.erase.execute({ auth, ...body });
  }
}
