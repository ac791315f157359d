import { Global, Module, type DynamicModule } from '@nestjs/common';
import { QueryConfig } from './query.config';

/** The validated configuration, loaded once in main.ts and injectable everywhere. */
@Global()
@Module({})
export class QueryConfigModule {
  static forRoot(config: QueryConfig): DynamicModule {
    return { module: QueryConfigModule, providers: [{ provide: QueryConfig, useValue: config }], exports: [QueryConfig] };
  }
}
