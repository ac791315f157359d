import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { LIVENESS_PATH, READINESS_CHECKS, READINESS_PATH, type ReadinessCheck } from './readiness';

@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** The process is alive and serving HTTP. */
  @Get(LIVENESS_PATH)
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 only while every dependency answers; 503 with Retry-After otherwise. */
  @Get(READINESS_PATH)
  async readyz(@Res() res: object): Promise<void> {
    const results = await Promise.all(
      this.checks.map(async (c) => [c.name, await c.isReady().catch(() => false)] as const),
    );
    const ready = results.every(([, ok]) => ok);
    const body = { status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) };
    const adapter = this.adapterHost.httpAdapter;
    if (!ready) adapter.setHeader(res, 'Retry-After', '5');
    adapter.reply(res, body, ready ? 200 : 503);
  }
}
