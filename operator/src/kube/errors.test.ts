import { KubeApiError } from './client';
import { delay, describeError, httpStatus, isTransient } from './errors';

const apiException = (code: number, body: unknown): KubeApiError => new KubeApiError(code, body, 'GET', '/api/v1/namespaces/n/secrets/s');

describe('API error helpers', () => {
  it('finds the HTTP status of API errors, not of network errors', () => {
    expect(httpStatus(apiException(409, '{}'))).toBe(409);
    expect(httpStatus(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(httpStatus('nope')).toBeUndefined();
  });

  it('retries network failures, throttling and server errors only', () => {
    expect(isTransient(new Error('socket hang up'))).toBe(true);
    expect([429, 500, 503, 408].map((code) => isTransient(apiException(code, '')))).toEqual([true, true, true, true]);
    expect([400, 403, 404, 409, 422].map((code) => isTransient(apiException(code, '')))).toEqual([false, false, false, false, false]);
  });

  it("logs the server's message", () => {
    const body = JSON.stringify({ kind: 'Status', message: 'apps.turnpike.dev "x" is forbidden', code: 403 });
    expect(describeError(apiException(403, body))).toEqual({ status: 403, error: 'apps.turnpike.dev "x" is forbidden' });
    expect(describeError(apiException(500, { message: 'etcd timeout' }))).toEqual({ status: 500, error: 'etcd timeout' });
    expect(describeError(new Error('x'.repeat(1000))).error).toHaveLength(301);
  });

  it('delay() ends early when aborted', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const pending = delay(60_000, abort.signal);
    abort.abort();
    await pending;
    expect(Date.now() - started).toBeLessThan(1_000);
    await delay(1, abort.signal);
  });
});
