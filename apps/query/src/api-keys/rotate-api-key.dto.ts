import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_OVERLAP_SECONDS = 86_400;
export const MAX_OVERLAP_SECONDS = 30 * 86_400;

export class RotateApiKeyDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_OVERLAP_SECONDS,
    default: DEFAULT_OVERLAP_SECONDS,
    description: 'How long the old key keeps working beside the new one; 0 ends it at once',
  })
  @IsOptional()
  @IsInt({ message: 'overlapSeconds must be an integer' })
  @Min(0, { message: `overlapSeconds must be between 0 and ${MAX_OVERLAP_SECONDS}` })
  @Max(MAX_OVERLAP_SECONDS, { message: `overlapSeconds must be between 0 and ${MAX_OVERLAP_SECONDS}` })
  overlapSeconds?: number;
}
