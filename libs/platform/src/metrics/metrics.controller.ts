import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Metrics } from './metrics';

@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  async metricsText(@Res() res: Response): Promise<void> {
    res.set('Content-Type', this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
