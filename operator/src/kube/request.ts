/**
 * Request options for @kubernetes/client-node calls, shared by the informers, the leader elector
 * and the status writer: the generated clients have no timeout of their own.
 */
import { Observable, type ConfigurationOptions, type ObservableMiddleware, type RequestContext, type ResponseContext } from '@kubernetes/client-node';

/** Request options that abort a call after `timeoutMs`, plus an optional Content-Type. */
export function requestOptions(timeoutMs: number, contentType?: string): ConfigurationOptions {
  const middleware: ObservableMiddleware = {
    pre: (context: RequestContext): Observable<RequestContext> => {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      if (contentType !== undefined) context.setHeaderParam('Content-Type', contentType);
      return new Observable(Promise.resolve(context));
    },
    post: (response: ResponseContext): Observable<ResponseContext> => new Observable(Promise.resolve(response)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}
