import { EventEmitter } from 'node:events';

/** The part of dynalite's `http.Server` the in-process transport uses: its request listener. */
export interface DynaliteServer {
  listeners(event: 'request'): Function[]; // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- Node's signature
}

export interface DynaliteAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One wire request to dynalite and its answer: {@link callDynalite} here, or a message to the store thread. */
export type DynaliteCall = (request: { method: string; url: string; headers: Record<string, string>; body: Uint8Array }) => Promise<DynaliteAnswer>;

/** A running dynalite, in this thread or the store thread (./threaded.ts): its HTTP port, the call to it, its shutdown. */
export interface DynaliteHost {
  port: number;
  call: DynaliteCall;
  /** Closes dynalite: flushes LevelDB and releases its folder. */
  close(): Promise<void>;
}

/**
 * One DynamoDB wire request handed to dynalite's request listener in this process: a minimal stand-in for
 * Node's `IncomingMessage` (method, url, headers, one 'data' chunk and 'end') and a minimal `ServerResponse`
 * (statusCode, setHeader, end) — all dynalite's listener uses. Same requests, same validation, same answers as
 * over HTTP, without a loopback socket and two HTTP parsers per call.
 */
export function callDynalite(server: DynaliteServer, request: { method: string; url: string; headers: Record<string, string>; body: Uint8Array }): Promise<DynaliteAnswer> {
  return new Promise((resolve, reject) => {
    const listener = server.listeners('request')[0] as ((req: unknown, res: unknown) => void) | undefined;
    if (listener === undefined) {
      reject(new Error('scimlink local store: the dynalite server has no request listener (closed?)'));
      return;
    }
    const req = Object.assign(new EventEmitter(), { method: request.method, url: request.url, headers: request.headers });
    const headers: Record<string, string> = {};
    const res = {
      statusCode: 200,
      contentType: undefined as string | undefined,
      setHeader(name: string, value: unknown) {
        headers[name.toLowerCase()] = String(value);
      },
      end(answer?: string | Buffer) {
        resolve({ statusCode: this.statusCode, headers, body: answer === undefined ? Buffer.alloc(0) : Buffer.from(answer) });
      },
    };
    try {
      listener(req, res);
      const { body } = request;
      if (body.byteLength > 0) req.emit('data', Buffer.from(body.buffer, body.byteOffset, body.byteLength));
      req.emit('end');
    } catch (error) {
      reject(error);
    }
  });
}

/** The request shape of smithy's `HttpRequest` that matters here. */
interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * An SDK `requestHandler` that answers from dynalite without a socket ({@link callDynalite}, or the store thread): the
 * application's DynamoDB client still serializes, signs and deserializes every command as against DynamoDB, only
 * the loopback HTTP hop is gone. The answer is shaped like smithy's `HttpResponse` (checked structurally).
 */
export function inProcessRequestHandler(call: DynaliteCall) {
  let destroyed = false;
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: SdkHttpRequest): Promise<{ response: { statusCode: number; reason?: string; headers: Record<string, string>; body: Uint8Array } }> {
      // After `client.destroy()` (the store is closing or closed), fail fast as a refused connection would.
      if (destroyed) throw Object.assign(new Error('scimlink local store: the client was destroyed (the store is closed)'), { code: 'ECONNREFUSED' });
      const body = typeof request.body === 'string' ? Buffer.from(request.body) : (request.body ?? new Uint8Array());
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
      const answer = await call({ method: request.method, url: request.path || '/', headers, body });
      return { response: { statusCode: answer.statusCode, headers: answer.headers, body: answer.body } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {
      destroyed = true;
    },
  };
}
