import 'reflect-metadata';
import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { ConsumedMessage, Settlement } from '@runtrail/messaging';

/** The pattern the runner's own consumer delivers its commands to. */
export const RUNNER_COMMANDS = 'runtrail.runner.commands';

/** Handles one command message and says what becomes of it (CommandHandler.handle). */
export type CommandHandling = (message: ConsumedMessage) => Promise<Settlement>;

const COMMAND_HANDLING = Symbol('COMMAND_HANDLING');

/** The agent's one message handler: each command, one at a time, to the command handler. */
@Controller()
export class RunnerCommandsHandler {
  constructor(@Inject(COMMAND_HANDLING) private readonly handle: CommandHandling) {}

  @EventPattern(RUNNER_COMMANDS)
  onCommand(@Payload() [message]: ConsumedMessage[]): Promise<Settlement> {
    return this.handle(message);
  }
}

/** The Nest microservice the agent runs, around the session's command handling. */
@Module({})
export class RunnerCommandsModule {
  static serving(handle: CommandHandling): DynamicModule {
    return { module: RunnerCommandsModule, controllers: [RunnerCommandsHandler], providers: [{ provide: COMMAND_HANDLING, useValue: handle }] };
  }
}
