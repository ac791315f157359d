import { Controller, Get, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { Metrics } from './metrics';

@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get('metrics')
  async metricsText(@Res() res: object): Promise<void> {
    const adapter = this.adapterHost.httpAdapter;
    adapter.setHeader(res, 'Content-Type', this.metrics.registry.contentType);
    adapter.reply(res, await this.metrics.registry.metrics(), 200);
  }
}
