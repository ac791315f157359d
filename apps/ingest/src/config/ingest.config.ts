import { Expose, Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { SharedConfig } from '@runtrail/platform';

export class IngestConfig extends SharedConfig {
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'INGEST_PORT must be an integer' })
  @Min(0, { message: 'INGEST_PORT must be between 0 and 65535' })
  @Max(65535, { message: 'INGEST_PORT must be between 0 and 65535' })
  INGEST_PORT = 8080;
}
