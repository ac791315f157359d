import { ApiProperty } from '@nestjs/swagger';
import type { Deployment } from '@runtrail/persistence';

/** OpenAPI description of a deployment row. */
export class DeploymentView implements Deployment {
  @ApiProperty() workspace!: string;
  @ApiProperty() block!: string;
  @ApiProperty({ nullable: true, type: String }) from!: string | null;
  @ApiProperty({ nullable: true, type: String }) version!: string | null;
  @ApiProperty() runs!: number;
  @ApiProperty({ format: 'uuid' }) lastRunId!: string;
  @ApiProperty({ format: 'date-time' }) lastStartedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastFinishedAt!: string | null;
}
