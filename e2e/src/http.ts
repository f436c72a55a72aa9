import http from 'node:http';
import https from 'node:https';

export interface HttpReply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpCall {
  readonly port: number;
  /** Host header (and TLS SNI with `tls`). */
  readonly host: string;
  readonly path: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** HTTPS with this CA (PEM); SNI is `host`. */
  readonly tls?: { readonly ca: string };
  readonly timeoutMs?: number;
  /** Source address of the connection (any 127.x.y.z works on Linux loopback). */
  readonly localAddress?: string;
}

/** One HTTP(S) request to 127.0.0.1 with an explicit Host header (fetch cannot set Host). */
export function call(options: HttpCall): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const common = {
      host: '127.0.0.1',
      port: options.port,
      path: options.path,
      method: options.method ?? 'GET',
      headers: { host: options.host, ...options.headers },
      timeout: options.timeoutMs ?? 10_000,
      agent: false as const,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    };
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    };
    const req = options.tls === undefined
      ? http.request(common, onResponse)
      : https.request({ ...common, servername: options.host, ca: options.tls.ca }, onResponse);
    req.on('timeout', () => req.destroy(new Error(`request to ${options.host}${options.path} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Parses a JSON body, with the body in the error when it is not JSON. */
export function json<T>(reply: HttpReply): T {
  try {
    return JSON.parse(reply.body) as T;
  } catch {
    throw new Error(`not JSON (status ${reply.status}): ${reply.body.slice(0, 200)}`);
  }
}
