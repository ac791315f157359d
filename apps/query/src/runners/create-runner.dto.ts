import { ApiProperty } from '@nestjs/swagger';
import { SAFE_NAME_PATTERN } from '@runtrail/contracts';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsString, Matches } from 'class-validator';
import { PRINTABLE_NAME_PATTERN } from '../shared/validation/printable-name';

/** A workspace name, or `*` for every workspace of the tenant. */
export const RUNNER_WORKSPACE_PATTERN = new RegExp(`^(\\*|${SAFE_NAME_PATTERN.source.slice(1, -1)})$`);

export class CreateRunnerDto {
  @ApiProperty({ example: 'gitlab-runner-42', minLength: 1, maxLength: 128 })
  @IsString()
  @Matches(PRINTABLE_NAME_PATTERN, { message: 'name must be 1 to 128 printable characters' })
  name!: string;

  @ApiProperty({ example: ['acme-prod'], description: 'Workspace names it serves; "*" for every workspace of the tenant' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(RUNNER_WORKSPACE_PATTERN, { each: true, message: 'each workspace must be "*" or a workspace name' })
  workspaces!: string[];
}
