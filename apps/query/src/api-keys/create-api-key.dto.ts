import { ApiProperty } from '@nestjs/swagger';
import { PRINCIPAL_TYPES, SCOPES, TENANT_ID_PATTERN, type PrincipalType, type Scope } from '@runtrail/contracts';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Matches } from 'class-validator';
import { PRINTABLE_NAME_PATTERN } from '../shared/validation/printable-name';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'acme', pattern: TENANT_ID_PATTERN.source })
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: `tenantId must match ${TENANT_ID_PATTERN.source}` })
  tenantId!: string;

  @ApiProperty({ example: 'gitlab-ci', minLength: 1, maxLength: 128 })
  @IsString()
  @Matches(PRINTABLE_NAME_PATTERN, { message: 'name must be 1 to 128 printable characters' })
  name!: string;

  @ApiProperty({ enum: PRINCIPAL_TYPES })
  @IsIn(PRINCIPAL_TYPES, { message: 'principalType must be User or Application' })
  principalType!: PrincipalType;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['events:write'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCOPES.length)
  @ArrayUnique()
  @IsIn(SCOPES, { each: true, message: `each scope must be one of ${SCOPES.join(', ')}` })
  scopes!: Scope[];
}
