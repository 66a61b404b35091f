/**
 * The synthesized stack brought up locally: DynamoDB tables from the template on the project's local layer,
 * the AWS endpoint (DynamoDB, Secrets Manager, EventBridge) with IAM checks, one runtime-client environment per
 * function, API Gateway per REST API, Cognito user pools' signing keys, the stream mappings and log
 * subscriptions. Tests drive it through HTTP (`gateway.stageUrl`) and the `drain*` methods.
 */
import { generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { startEmbeddedDynamo } from '../../../local/dynamo/embedded';
import type { LocalStreamRecord } from '../../../local/dynamo/stream';
import { ApiGatewayEmulator, IamIdentity, UserPoolKeys } from './api-gateway';
import { restApis } from './api-model';
import { AwsCall, AwsEndpoint } from './aws-endpoint';
import { DynamoDbService } from './dynamodb-service';
import { EventBridgeService } from './events-service';
import { LogSubscriptions, StreamMappings } from './event-sources';
import { functionSpecs } from './functions';
import { IamModel, statementsOf } from './iam';
import { FunctionSpec, InvokeResult, LambdaContainer, RuntimeBinaries, credentialsFor } from './lambda-runtime';
import { SecretsManagerService } from './secrets-service';
import { ACCOUNT, REGION, SynthesizedStack, URL_SUFFIX } from './template';

export interface UserPool extends UserPoolKeys {
  logicalId: string;
  /** An ID token of this pool with `claims` (plus iss, token_use, exp). */
  idToken(claims: Record<string, unknown>, expiresInSeconds?: number): string;
}

export interface DeployedStack {
  stack: SynthesizedStack;
  functions: FunctionSpec[];
  containers: Map<string, LambdaContainer>;
  gateway: ApiGatewayEmulator;
  iam: IamModel;
  secrets: SecretsManagerService;
  events: EventBridgeService;
  streams: StreamMappings;
  logs: LogSubscriptions;
  userPools: UserPool[];
  /** An IAM user holding the stack's managed policies (the operator the README describes). */
  operator: IamIdentity;
  /** An IAM user of the same account without any policy. */
  stranger: IamIdentity;
  /** Function logical id → init milliseconds. */
  initTimes: Map<string, number>;
  invoke(functionArn: string, event: unknown): Promise<InvokeResult>;
  /** Delivers stream records and log lines until both are quiet. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDeployedStack(cdkOut: string, binaries: RuntimeBinaries): Promise<DeployedStack> {
  const stack = SynthesizedStack.load(cdkOut);
  const functions = functionSpecs(stack);
  const iam = new IamModel(stack);
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    // Records arrive from inside the local layer's write path: queue them, the mappings read them on drain.
    const changes: LocalStreamRecord[] = [];
    const dynamo = await startEmbeddedDynamo({ onStreamRecord: (r) => changes.push(r) });
    cleanups.push(() => dynamo.close());
    for (const [, t] of stack.ofType('AWS::DynamoDB::Table')) {
      const p = stack.resolve(t.Properties ?? {});
      const input: CreateTableCommandInput = {
        TableName: stack.resolve({ Ref: stack.ofType('AWS::DynamoDB::Table').find(([, x]) => x === t)?.[0] }),
        KeySchema: p.KeySchema,
        AttributeDefinitions: p.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(p.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes } : {}),
        ...(p.LocalSecondaryIndexes ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes } : {}),
      };
      await dynamo.client.send(new CreateTableCommand(input));
    }

    const dynamoService = new DynamoDbService(dynamo);
    const secrets = new SecretsManagerService();
    secrets.seed(
      stack.ofType('AWS::SecretsManager::Secret').map(([id, r]) => ({ arn: stack.resolve({ Ref: id }) as string, length: Number(r.Properties?.GenerateSecretString?.PasswordLength ?? 32) })),
    );
    const events = new EventBridgeService();
    const credentials = new Map(functions.map((f) => [f.logicalId, credentialsFor(f.logicalId)]));
    const roles = new Map(functions.map((f) => [credentials.get(f.logicalId)?.accessKeyId as string, f.roleLogicalId]));
    const authorize = (call: AwsCall) => iam.authorize(call);
    const endpoint = new AwsEndpoint([dynamoService, secrets, events], roles, authorize);
    await endpoint.start();
    cleanups.push(() => endpoint.stop());

    const containers = new Map<string, LambdaContainer>();
    const byArn = new Map(functions.map((f) => [f.arn, f]));
    let logs: LogSubscriptions | undefined;
    const pendingLines: Array<[FunctionSpec, string]> = [];
    const logLine = (fn: FunctionSpec, line: string) => (logs ? logs.append(fn, line) : pendingLines.push([fn, line]));
    // Lambda writes a function's output to its log group with the function's role (CreateLogStream once per
    // environment, then PutLogEvents): the grant the template gives every role for its own group.
    const logCalls = (fn: FunctionSpec, stream: string, action: string) =>
      authorize({ role: fn.roleLogicalId, action, resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${fn.logGroupName}:log-stream:${stream}`, context: {} });
    const endpointEnv = {
      // SDK v3 reads service-specific endpoints from the environment (AWS_ENDPOINT_URL_<SERVICE_ID>).
      AWS_ENDPOINT_URL_DYNAMODB: endpoint.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint.url,
    };
    const initTimes = new Map<string, number>();
    const startOne = async (fn: FunctionSpec) => {
      const stream = `${fn.logicalId}-${Date.now()}`;
      let streamCreated = false;
      const c = await LambdaContainer.start(fn, binaries, credentials.get(fn.logicalId)!, endpointEnv, (line) => {
        if (!streamCreated) streamCreated = logCalls(fn, stream, 'logs:CreateLogStream');
        if (!logCalls(fn, stream, 'logs:PutLogEvents')) throw new Error(`${fn.logicalId}: its role may not write its log group`);
        logLine(fn, line);
      });
      containers.set(fn.logicalId, c);
      cleanups.push(() => c.stop());
      initTimes.set(fn.logicalId, c.initMs);
    };
    // Two at a time: the machine has two cores and other work.
    const queue = [...functions];
    const errors: Error[] = [];
    await Promise.all(
      [0, 1].map(async () => {
        for (let fn = queue.shift(); fn; fn = queue.shift()) {
          await startOne(fn).catch((e: unknown) => errors.push(e instanceof Error ? e : new Error(String(e))));
        }
      }),
    );
    if (errors.length > 0) throw new AggregateError(errors, `init failed:\n${errors.map((e) => e.message).join('\n')}`);

    const invoke = async (functionArn: string, event: unknown): Promise<InvokeResult> => {
      const fn = byArn.get(functionArn);
      const c = fn && containers.get(fn.logicalId);
      if (!c) throw new Error(`no function ${functionArn}`);
      return c.invoke(event);
    };
    const platform = { authorize, invoke, functions };
    logs = new LogSubscriptions(stack, platform);
    for (const [fn, line] of pendingLines.splice(0)) logs.append(fn, line);
    const streams = new StreamMappings(stack, platform, (t) => dynamoService.keyNames(t));

    const userPools: UserPool[] = stack.ofType('AWS::Cognito::UserPool').map(([logicalId]) => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const issuer = `https://cognito-idp.${REGION}.${URL_SUFFIX}/${stack.resolve({ Ref: logicalId })}`;
      return {
        logicalId,
        arn: stack.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }),
        issuer,
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        idToken(claims, expiresInSeconds = 3600) {
          const now = Math.floor(Date.now() / 1000);
          const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
          const body = `${enc({ alg: 'RS256', kid: 'test', typ: 'JWT' })}.${enc({ iss: issuer, token_use: 'id', iat: now, auth_time: now, exp: now + expiresInSeconds, ...claims })}`;
          return `${body}.${rsaSign('RSA-SHA256', Buffer.from(body), privateKey).toString('base64url')}`;
        },
      };
    });

    const managed = stack.ofType('AWS::IAM::ManagedPolicy').flatMap(([id, r]) => statementsOf(id, 'operator', stack.resolve(r.Properties?.PolicyDocument)));
    // Only named operators may call /admin (issue 13: the API's resource policy and the handlers): the operator
    // here signs as the stack's operator role, the one every deployment names.
    const [operatorRole] = stack.ofType('AWS::IAM::Role').find(([id]) => /^Operators/.test(id)) ?? [];
    const operatorArn = operatorRole ? (stack.resolve({ 'Fn::GetAtt': [operatorRole, 'Arn'] }) as string) : `arn:aws:iam::${ACCOUNT}:user/operator`;
    const operator: IamIdentity = { accessKeyId: 'AKIAOPERATOR00000001', secretAccessKey: 'operator-secret', arn: operatorArn, userId: 'AROAOPERATOR', policy: managed };
    const stranger: IamIdentity = { accessKeyId: 'AKIASTRANGER00000001', secretAccessKey: 'stranger-secret', arn: `arn:aws:iam::${ACCOUNT}:user/stranger`, userId: 'AIDASTRANGER', policy: [] };

    const apis = restApis(stack);
    if (apis.length !== 1) throw new Error(`expected one REST API, found ${apis.length}`);
    const gateway = new ApiGatewayEmulator(apis[0]!, {
      invoke: (arn, event: APIGatewayProxyEvent) => invoke(arn, event),
      identities: [operator, stranger],
      userPools,
    });
    await gateway.start();
    cleanups.push(() => gateway.stop());

    return {
      stack,
      functions,
      containers,
      gateway,
      iam,
      secrets,
      events,
      streams,
      logs,
      userPools,
      operator,
      stranger,
      initTimes,
      invoke,
      async drain() {
        for (let round = 0; round < 10; round += 1) {
          dynamo.flushStream();
          for (const c of changes.splice(0)) await streams.record(c);
          const n = (await streams.drain()) + (await (logs as LogSubscriptions).drain());
          if (n === 0 && changes.length === 0) return;
        }
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
