import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

/** What a runner reports about a command it accepted. */
export class CommandStatusDto {
  @ApiProperty({ enum: ['running', 'succeeded', 'failed'] })
  @IsIn(['running', 'succeeded', 'failed'], { message: 'status must be running, succeeded or failed' })
  status!: 'running' | 'succeeded' | 'failed';

  @ApiPropertyOptional({ type: 'integer', minimum: -2147483648, maximum: 2147483647, description: "The re-triggered run's exit code" })
  @IsOptional()
  @IsInt()
  @Min(-2147483648)
  @Max(2147483647)
  exitCode?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'The run the re-trigger produced' })
  @IsOptional()
  @IsUUID('all', { message: 'newRunId must be a UUID' })
  newRunId?: string;
}
