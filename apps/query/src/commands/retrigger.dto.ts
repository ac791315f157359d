import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

/** The body of a re-trigger; it may be left out. */
export class RetriggerDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A runner of the tenant; by default an online runner serving the workspace' })
  @IsOptional()
  @IsUUID('all', { message: 'runnerId must be a UUID' })
  runnerId?: string;

  @ApiPropertyOptional({ maxLength: 1024, example: 'registry timeout' })
  @IsOptional()
  @Matches(/^[^\p{Cc}]{1,1024}$/u, { message: 'reason must be 1 to 1024 printable characters' })
  reason?: string;
}
