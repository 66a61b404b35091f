/**
 * One Lambda execution environment per function: the function's bundle from `cdk.out`, loaded by the AWS Lambda
 * Node.js runtime interface client (npm `aws-lambda-ric`, the same client the managed runtime runs) on a Node
 * binary of the runtime's major version, talking to a small emulation of the Lambda Runtime API
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) served here: `GET …/invocation/next` hands
 * out one event at a time, `…/response`, `…/error` and `…/init/error` end it.
 *
 * The process gets only the environment Lambda gives a function (the template's variables plus the reserved
 * ones), never the test runner's: a bundle that reads a variable the template does not set fails here too.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { readBody } from './http';
import { ACCOUNT, REGION } from './template';

/** What the template says about one function, resolved. */
export interface FunctionSpec {
  logicalId: string;
  name: string;
  arn: string;
  /** `file.export` as in the template (`index.handler`). */
  handler: string;
  runtime: string;
  memorySize: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  /** The unzipped asset in cdk.out. */
  codeDir: string;
  roleLogicalId: string;
  roleArn: string;
  logGroupName: string;
}

/** Where the runtime client and its Node binary are (see ./runtime-install.ts). */
export interface RuntimeBinaries {
  node: string;
  ric: string;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export type InvokeResult = { ok: true; payload: unknown; durationMs: number } | { ok: false; error: { errorType?: string; errorMessage?: string }; durationMs: number };

interface Pending {
  id: string;
  event: unknown;
  deadline: number;
  started: number;
  resolve: (r: InvokeResult) => void;
  timer?: NodeJS.Timeout;
}

/**
 * Node flags the managed runtime's bootstrap derives from the memory size (heap limits scale with it), so a
 * bundle that only fits in more memory than the template gives fails here as it would there.
 */
function nodeFlags(memoryMb: number): string[] {
  const oldSpace = Math.floor(memoryMb * 0.9 - Math.min(memoryMb * 0.05, 64));
  return ['--expose-gc', '--max-http-header-size=81920', `--max-old-space-size=${oldSpace}`];
}

export class LambdaContainer {
  /** Milliseconds from spawning the process to its first `next` call (the handler module is loaded by then). */
  initMs = 0;
  private server!: Server;
  private child?: ChildProcess;
  private queue: Pending[] = [];
  private current?: Pending;
  private waiting?: ServerResponse;
  private exited = false;
  private stderrTail: string[] = [];

  private constructor(
    readonly spec: FunctionSpec,
    readonly credentials: Credentials,
    private readonly onLogLine: (line: string) => void,
  ) {}

  /**
   * Starts the environment and waits for its init phase to end: resolves once the client asks for the first
   * event, rejects with the function's init error (e.g. a handler string naming a missing export).
   */
  static async start(
    spec: FunctionSpec,
    binaries: RuntimeBinaries,
    credentials: Credentials,
    extraEnv: Record<string, string>,
    onLogLine: (line: string) => void,
  ): Promise<LambdaContainer> {
    const c = new LambdaContainer(spec, credentials, onLogLine);
    await c.boot(binaries, extraEnv);
    return c;
  }

  private async boot(binaries: RuntimeBinaries, extraEnv: Record<string, string>): Promise<void> {
    let initDone!: (err?: Error) => void;
    const init = new Promise<void>((resolve, reject) => {
      initDone = (err) => (err ? reject(err) : resolve());
    });
    this.server = createServer((req, res) => {
      this.route(req, res, initDone).catch((e: unknown) => {
        res.writeHead(500).end(String(e));
      });
    });
    // Long-polling `next` holds a connection open for as long as the function is idle.
    this.server.keepAliveTimeout = 0;
    this.server.requestTimeout = 0;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    const s = this.spec;
    const env: Record<string, string> = {
      ...s.environment,
      ...extraEnv,
      // Reserved variables Lambda sets (docs: "Defined runtime environment variables").
      _HANDLER: s.handler,
      AWS_EXECUTION_ENV: `AWS_Lambda_${s.runtime}`,
      AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
      LAMBDA_TASK_ROOT: s.codeDir,
      LAMBDA_RUNTIME_DIR: binaries.ric,
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_LAMBDA_FUNCTION_NAME: s.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(s.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: s.logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: `2026/01/01/[$LATEST]${randomBytes(16).toString('hex')}`,
      AWS_ACCESS_KEY_ID: this.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: this.credentials.sessionToken,
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      PATH: '/usr/local/bin:/usr/bin:/bin',
    };
    const started = Date.now();
    const child = spawn(binaries.node, [...nodeFlags(s.memorySize), `${binaries.ric}/index.mjs`], {
      cwd: s.codeDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (stream === child.stderr) this.stderrTail = [...this.stderrTail.slice(-20), line];
        this.onLogLine(line);
      });
    }
    child.on('exit', (code, signal) => {
      this.exited = true;
      const why = `${s.logicalId} exited (${signal ?? code}): ${this.stderrTail.join('\n')}`;
      initDone(new Error(why));
      this.failCurrent(why);
      this.waiting?.destroy();
    });
    this.initStarted = started;
    try {
      await init;
    } catch (e) {
      // A failed init leaves nothing running: the process and its Runtime API server go with it.
      await this.stop();
      throw e;
    }
  }

  private initStarted = 0;

  private async route(req: IncomingMessage, res: ServerResponse, initDone: (err?: Error) => void): Promise<void> {
    const url = req.url ?? '';
    const body = (await readBody(req)).toString('utf8');
    if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
      if (this.initMs === 0) {
        this.initMs = Date.now() - this.initStarted;
        initDone();
      }
      this.current = undefined;
      this.waiting = res;
      this.dispatch();
      return;
    }
    if (req.method === 'POST' && url === '/2018-06-01/runtime/init/error') {
      res.writeHead(202).end('{"status":"OK"}');
      const err = parse(body) as { errorType?: string; errorMessage?: string };
      initDone(new Error(`${this.spec.logicalId} init error: ${err.errorType}: ${err.errorMessage}`));
      return;
    }
    const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method === 'POST' && m) {
      res.writeHead(202).end('{"status":"OK"}');
      const p = this.current;
      if (!p || p.id !== decodeURIComponent(m[1] as string)) return;
      clearTimeout(p.timer);
      this.current = undefined;
      const durationMs = Date.now() - p.started;
      this.report(p, durationMs);
      p.resolve(m[2] === 'response' ? { ok: true, payload: parse(body), durationMs } : { ok: false, error: parse(body) as object, durationMs });
      return;
    }
    res.writeHead(404).end();
  }

  /** Invokes the function with `event` (queued behind earlier invocations: one environment, one at a time). */
  invoke(event: unknown): Promise<InvokeResult> {
    return new Promise((resolve) => {
      if (this.exited) {
        resolve({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: `${this.spec.logicalId} is not running` }, durationMs: 0 });
        return;
      }
      this.queue.push({ id: randomUUID(), event, deadline: 0, started: 0, resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (!this.waiting || this.current) return;
    const p = this.queue.shift();
    if (!p) return;
    const res = this.waiting;
    this.waiting = undefined;
    this.current = p;
    p.started = Date.now();
    p.deadline = p.started + this.spec.timeoutSeconds * 1000;
    p.timer = setTimeout(() => {
      // Lambda ends an invocation that runs out of time by stopping the environment.
      this.failCurrent(`Task timed out after ${this.spec.timeoutSeconds}.00 seconds`);
      this.child?.kill('SIGKILL');
    }, this.spec.timeoutSeconds * 1000);
    this.onLogLine(`START RequestId: ${p.id} Version: $LATEST`);
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': p.id,
      'Lambda-Runtime-Deadline-Ms': String(p.deadline),
      'Lambda-Runtime-Invoked-Function-Arn': this.spec.arn,
      'Lambda-Runtime-Trace-Id': `Root=1-${Math.floor(p.started / 1000).toString(16)}-${randomBytes(12).toString('hex')};Sampled=0`,
    });
    res.end(JSON.stringify(p.event));
  }

  private report(p: Pending, durationMs: number): void {
    this.onLogLine(`END RequestId: ${p.id}`);
    this.onLogLine(
      `REPORT RequestId: ${p.id}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${this.spec.memorySize} MB`,
    );
  }

  private failCurrent(message: string): void {
    const p = this.current;
    if (!p) return;
    clearTimeout(p.timer);
    this.current = undefined;
    p.resolve({ ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage: message }, durationMs: Date.now() - p.started });
  }

  async stop(): Promise<void> {
    if (this.child && !this.exited) {
      const exited = new Promise<void>((resolve) => this.child?.once('exit', () => resolve()));
      this.child.kill('SIGKILL');
      await exited;
    }
    this.waiting?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Fake, per-function session credentials: the AWS endpoint knows the caller's role by its access key. */
export function credentialsFor(logicalId: string): Credentials {
  return {
    accessKeyId: `ASIA${Buffer.from(logicalId).toString('hex').toUpperCase().slice(0, 12)}${randomBytes(2).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: `${ACCOUNT}-${randomBytes(16).toString('hex')}`,
  };
}


function parse(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}
