/**
 * Inspecting API errors (client.ts's KubeApiError: the HTTP status as `code`, the server's Status
 * as `body`), and an abortable pause. Errors are inspected by shape: a network error's `code` is a
 * string such as ECONNREFUSED, and a socket's errors may come from another realm under Jest.
 */
import { isRecord } from '../json';

const asRecord = (value: unknown): Record<string, unknown> | undefined => (isRecord(value) ? value : undefined);

/** The HTTP status of a failed API call or watch, when there was a response at all. */
export function httpStatus(err: unknown): number | undefined {
  const record = asRecord(err);
  if (record === undefined) return undefined;
  const code = record.code;
  return typeof code === 'number' && code >= 100 && code < 600 ? code : undefined;
}

/** True for errors worth retrying: no response, timeouts, throttling and server-side failures. */
export function isTransient(err: unknown): boolean {
  const status = httpStatus(err);
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

function statusMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  const message = asRecord(parsed)?.message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * Loggable fields for an API error: the status and the server's message, short. Never the
 * request or the response headers (which may carry tokens), never an object's data.
 */
export function describeError(err: unknown): { status?: number; error: string } {
  const record = asRecord(err);
  const fromBody = statusMessage(record?.body);
  const raw = fromBody ?? (typeof record?.message === 'string' ? record.message : String(err));
  const error = raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
  const status = httpStatus(err);
  return status === undefined ? { error } : { status, error };
}

/** A promise that resolves after `ms` or as soon as `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
