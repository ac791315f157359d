import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands a message handler's error to the transport unchanged. Nest's default RPC filter
 * would log it with its stack and replace it with a generic one; the pull loop decides
 * what an error means (retry the batch) and logs it without a stack.
 */
@Catch()
export class RethrowRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
