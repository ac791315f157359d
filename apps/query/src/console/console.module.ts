import { Module } from '@nestjs/common';
import { ConsoleFiles } from './console-files';
import { ConsoleController } from './console.controller';

/** Serves the console's build output (`dist/console`, or CONSOLE_DIR) at `/`. */
@Module({ controllers: [ConsoleController], providers: [ConsoleFiles] })
export class ConsoleModule {}
