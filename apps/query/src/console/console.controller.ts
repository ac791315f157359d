import { Controller, Get, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ConsoleFiles, type ConsoleFile } from './console-files';
import { ConsoleRoute } from './console.interceptor';

/** The console's routes (the single-page app decides what each shows). */
export const CONSOLE_PAGES = ['/', 'timeline', 'runs', 'runs/:id', 'insights', 'deployments', 'runners', 'keys', 'streams', 'retention'];

/**
 * The auditors' console (docs/api.md#console-pages): `index.html` for each of its routes,
 * its hashed files under `/assets`. Public like `/docs`: the page holds no data, and every
 * call it makes carries a key. Not in the OpenAPI document. No catch-all: any other path
 * is the usual 404.
 */
@ApiExcludeController()
@Controller()
export class ConsoleController {
  constructor(private readonly files: ConsoleFiles) {}

  @Get(CONSOLE_PAGES)
  @ConsoleRoute()
  page(): Promise<ConsoleFile> {
    return this.files.page();
  }

  /** The timeline alone, for an iframe in another product, with a viewer token in its URL. */
  @Get('embed')
  @ConsoleRoute('embed')
  embed(): Promise<ConsoleFile> {
    return this.files.page();
  }

  @Get('assets/*path')
  @ConsoleRoute()
  asset(@Param('path') path: string | string[]): Promise<ConsoleFile> {
    return this.files.asset(Array.isArray(path) ? path : path.split('/'));
  }
}
