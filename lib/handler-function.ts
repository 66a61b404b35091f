import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HandlerAccess } from '../lambdas/routes';
import { FUNCTION_TIMEOUT_SECONDS } from '../lambdas/http/deadline';

const REPO_ROOT = path.join(__dirname, '..');

/**
 * IAM actions per access level of `HANDLER_ACCESS` (lambdas/routes.ts): exactly the calls the store adapters
 * make, nothing broader. `TransactWriteItems` has no IAM action of its own: DynamoDB authorises each Put, Update
 * and Delete inside it as PutItem, UpdateItem and DeleteItem. No Scan except for the `scan` level that only
 * admin-verify has (listing is a Query of the account's partition); BatchGetItem only for SCIM handlers
 * (`SCIM_BATCH_READ`).
 */
export const TABLE_ACTIONS: Record<HandlerAccess['table'], string[]> = {
  none: [],
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  write: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  /** `scimlink verify` only (admin-verify): read + Scan, the one function that may read the whole table. */
  scan: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
};

/**
 * Token-hash secrets (lambdas/store/secrets-token-hash-store.ts): SCIM handlers read the hash to authenticate;
 * key generation overwrites it (PutSecretValue, or CreateSecret the first time); removing the integration or
 * deleting the account deletes it. Secrets are created at run time with the AWS-managed `aws/secretsmanager` key, so no KMS grant.
 */
export const SECRET_ACTIONS: Record<HandlerAccess['secrets'], string[]> = {
  none: [],
  read: ['secretsmanager:GetSecretValue'],
  write: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'],
  delete: ['secretsmanager:DeleteSecret'],
};

/**
 * SCIM handlers read the integration item (authentication) and their operation's first item in one strongly
 * consistent BatchGetItem (lambdas/store/consistent-reads.ts): the same items GetItem already reaches, one call.
 */
export const SCIM_BATCH_READ = ['dynamodb:BatchGetItem'];

/** The attributes a SCIM reader may write: the integration's "last request seen" (DynamoAccountStore.touchLastRequest). */
export const TOUCH_ATTRIBUTES = ['pk', 'sk', 'lastRequestAt'];

export interface ScimlinkFunctionProps {
  /** Module in lambdas/ (without .ts) exporting `handler`. */
  handler: string;
  access: HandlerAccess;
  /** The routes it serves, for the description ("GET /scim/{tenant}/Users, …"). */
  routes: string[];
  /** SCIM handlers record `lastRequestAt` on the integration item even when they only read otherwise. */
  recordsLastRequest: boolean;
  table: ITable;
  /** Secrets are named `<prefix><accountId>`; IAM is scoped to this prefix. */
  tokenSecretPrefix: string;
  environment: Record<string, string>;
  memorySize: number;
  logLevel: string;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  /**
   * Files to put next to `index.js` in the bundle (name → content), made only when the stack is bundled: the
   * console's built assets for console-assets (read at cold start, so the handler needs no S3 and no build step).
   */
  bundleFiles?: () => Record<string, string>;
  /** Concurrency reserved for this function (guaranteed to it, and its ceiling); none when undefined. */
  reservedConcurrency?: number;
}

/**
 * One Lambda per handler module, with the project's defaults: Node 24 on arm64 (Graviton: ~20% cheaper per ms,
 * same code), bundled and minified by the locally installed esbuild with external source maps, its own log group
 * with a retention, and its own role that holds exactly what `HANDLER_ACCESS` says: no AWS managed policy, no
 * `*` action, every resource named.
 */
export class ScimlinkFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ScimlinkFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.removalPolicy });

    // An own role instead of the default one: the default attaches AWSLambdaBasicExecutionRole, whose logs
    // permissions cover every log group of the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `scimlink ${props.handler}: ${describeAccess(props.access, props.recordsLastRequest)}`,
    });
    this.logGroup.grantWrite(this.role);
    if (TABLE_ACTIONS[props.access.table].length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: TABLE_ACTIONS[props.access.table], resources: [props.table.tableArn] }),
      );
    }
    if (props.recordsLastRequest && (props.access.table === 'read' || props.access.table === 'write')) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: SCIM_BATCH_READ, resources: [props.table.tableArn] }));
    }
    if (props.access.table === 'read' && props.recordsLastRequest) {
      // Fine-grained access control: UpdateItem that may name only the key and `lastRequestAt`, only in account
      // partitions, and may not return other attributes. A reader cannot change a user, a sentinel or a tenant key.
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:UpdateItem'],
          resources: [props.table.tableArn],
          conditions: {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': TOUCH_ATTRIBUTES },
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ACCOUNT#*'] },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
          },
        }),
      );
    }
    const secretActions = SECRET_ACTIONS[props.access.secrets];
    if (secretActions.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: secretActions, resources: [tokenSecretsArn(props.tokenSecretPrefix)] }),
      );
      // The finding id is the ARN as cdk-nag prints it (intrinsics in angle brackets): this acknowledges exactly
      // that one wildcard; any other wildcard in the policy is still a finding.
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${props.tokenSecretPrefix}*]`,
        reason:
          'Token-hash secrets are created at run time, one per account, named <prefix><accountId>; the prefix wildcard ' +
          'is the narrowest ARN that names them (Secrets Manager also appends a random suffix to every secret ARN).',
      });
    }

    const extra = props.bundleFiles && Stack.of(this).bundlingRequired ? stageFiles(props.handler, props.bundleFiles()) : undefined;
    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, 'lambdas', `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      description: truncate(`scimlink ${props.handler}: ${props.routes.join(', ')}`, 256),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      // Far below API Gateway's 29 s integration timeout, so a stuck call ends as our own 5xx (and a Lambda error
      // metric) instead of a gateway timeout; a healthy request takes tens of milliseconds, a cold one about a second.
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS),
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: 'scimlink',
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        // Request metrics (EMF, lambdas/http/telemetry.ts) land in the stack's own namespace: stages never mix.
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(Stack.of(this)),
        // Stack traces in the logs point at lambdas/*.ts, not at minified columns.
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        // Never Docker: operators and CI have esbuild from package.json, and not necessarily a Docker daemon.
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        // The map only needs positions; embedding the sources would double the asset for nothing at run time.
        sourcesContent: false,
        format: OutputFormat.CJS,
        // Prefer packages' ES module builds: esbuild tree-shakes them (most of the AWS SDK falls away).
        mainFields: ['module', 'main'],
        // Ship the SDK version the tests ran against instead of whatever the runtime carries today; bundled and
        // tree-shaken it also loads faster than the runtime's full copy.
        bundleAwsSDK: true,
        // Warnings and errors only: esbuild's size summary for 20-odd bundles would drown the synth output.
        logLevel: LogLevel.WARNING,
        ...(extra
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_input: string, output: string) =>
                  extra.names.map((name) => `cp "${path.join(extra.dir, name)}" "${path.join(output, name)}"`),
              },
            }
          : {}),
      },
    });
    // Bundling ran in the constructor above (the asset's hash is its output, so the files are part of it).
    if (extra) fs.rmSync(extra.dir, { recursive: true, force: true });
  }
}

/** Writes `files` to a fresh temp folder for the bundling hook to copy from. */
function stageFiles(handler: string, files: Record<string, string>): { dir: string; names: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `scimlink-${handler}-`));
  for (const [name, content] of Object.entries(files)) {
    if (path.basename(name) !== name) throw new Error(`bundleFiles: '${name}' must be a plain file name`);
    fs.writeFileSync(path.join(dir, name), content);
  }
  return { dir, names: Object.keys(files) };
}

/** The CloudWatch namespace of the handlers' metrics and the access-log metric filters. */
export const metricsNamespace = (stack: Stack) => `scimlink/${stack.stackName}`;

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<prefix>*` (Secrets Manager appends `-XXXXXX`). */
export function tokenSecretsArn(prefix: string): string {
  // Pseudo parameters rather than the stack's env: the same template (and cdk-nag finding id) either way.
  return `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${prefix}*`;
}

function describeAccess(access: HandlerAccess, recordsLastRequest: boolean): string {
  const table =
    access.table === 'write'
      ? 'table read/write'
      : access.table === 'scan'
        ? 'table read + scan'
        : recordsLastRequest
          ? 'table read (+ lastRequestAt)'
          : 'table read';
  return access.secrets === 'none' ? table : `${table}, token secrets ${access.secrets}`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 3)}...`;
}
