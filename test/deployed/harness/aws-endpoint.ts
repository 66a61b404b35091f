/**
 * The AWS the functions talk to: one HTTP endpoint (every service's `AWS_ENDPOINT_URL_*` points here) that reads
 * the JSON protocol's `X-Amz-Target`, knows the calling function by the access key of the fake session
 * credentials it was started with, and asks the IAM check (./iam.ts) about every action a request amounts to
 * before serving it — a denied action is answered `AccessDeniedException`, as AWS would.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http';

/** One IAM authorisation request: who, which action on which resource, and the condition keys it carries. */
export interface AwsCall {
  /** Logical id of the calling function's role. */
  role: string;
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

export interface ServiceReply {
  status: number;
  body: unknown;
}

export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A JSON-protocol service: the calls a request needs authorised, then the request itself. */
export interface JsonService {
  /** `X-Amz-Target` prefix, e.g. `DynamoDB_20120810`. */
  targetPrefix: string;
  /** How errors name their type (`com.amazonaws.dynamodb.v20120810#` for DynamoDB, none for the others). */
  errorTypePrefix: string;
  calls(operation: string, input: Record<string, unknown>, role: string): Promise<AwsCall[]>;
  serve(operation: string, input: Record<string, unknown>, role: string): Promise<unknown>;
}

export class AwsEndpoint {
  private server!: Server;
  url = '';

  constructor(
    private readonly services: JsonService[],
    /** access key id → role logical id */
    private readonly roles: Map<string, string>,
    private readonly authorize: (call: AwsCall) => boolean,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        reply(res, 500, { __type: 'InternalFailure', message: `test harness: ${e instanceof Error ? e.stack : String(e)}` });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, operation = ''] = target.split('.');
    const service = this.services.find((s) => s.targetPrefix === prefix);
    const body = (await readBody(req)).toString('utf8');
    if (!service) {
      reply(res, 400, { __type: 'UnknownOperationException', message: `test harness: no emulated service for X-Amz-Target '${target}'` });
      return;
    }
    const accessKey = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    const role = this.roles.get(accessKey);
    if (!role) {
      reply(res, 400, { __type: `${service.errorTypePrefix}UnrecognizedClientException`, message: 'The security token included in the request is invalid.' });
      return;
    }
    const input = (body === '' ? {} : JSON.parse(body)) as Record<string, unknown>;
    try {
      for (const call of await service.calls(operation, input, role)) {
        if (!this.authorize(call)) {
          throw new AwsError(
            'AccessDeniedException',
            `User: ${role} is not authorized to perform: ${call.action} on resource: ${call.resource} because no identity-based policy allows the ${call.action} action`,
          );
        }
      }
      reply(res, 200, await service.serve(operation, input, role));
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      const type = e.type === 'AccessDeniedException' && service.targetPrefix.startsWith('DynamoDB') ? 'com.amazon.coral.service#AccessDeniedException' : `${service.errorTypePrefix}${e.type}`;
      reply(res, e.status, { __type: type, message: e.message, Message: e.message, ...e.extra });
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** JSON with binary as base64, like the JSON protocols. */
function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? {}, (_k, v: unknown) => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    return v;
  });
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': `${Date.now()}` }).end(text);
}

