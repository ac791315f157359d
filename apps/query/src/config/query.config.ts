import { Expose, Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DatabaseConfig } from '@runtrail/platform';

export class QueryConfig extends DatabaseConfig {
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'QUERY_PORT must be an integer' })
  @Min(0, { message: 'QUERY_PORT must be between 0 and 65535' })
  @Max(65535, { message: 'QUERY_PORT must be between 0 and 65535' })
  QUERY_PORT = 8081;
}
