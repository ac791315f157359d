import { BaseRpcContext } from '@nestjs/microservices';
import type { ConsumedMessage } from '../pull/consumed-message';

/** What a JetStream message handler can learn besides its payload: the consumer and the batch. */
export class JetStreamContext extends BaseRpcContext<[string, ConsumedMessage[]]> {
  /** The durable consumer the batch came from. */
  getConsumer(): string {
    return this.args[0];
  }

  getMessages(): ConsumedMessage[] {
    return this.args[1];
  }
}
