import { CfnOutput, Stack, StackProps, Tags, Validations } from 'aws-cdk-lib';
import { CfnRestApi } from 'aws-cdk-lib/aws-apigateway';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ADMIN_ROUTES, HANDLER_ACCESS, RouteDef, SCIM_ROUTES } from '../lambdas/routes';
import { ScimlinkAlarms } from './alarms';
import { ScimlinkApi } from './api';
import { ScimlinkConfig } from './config';
import { ScimlinkEvents } from './events';
import { ScimlinkFunction } from './handler-function';
import { ScimlinkTable } from './table';

export interface ScimlinkStackProps extends StackProps {
  config: ScimlinkConfig;
  /** Defaults to lambdas/routes.ts; tests may pass their own. */
  routes?: { scim: RouteDef[]; admin: RouteDef[] };
}

/** Every handler module with the routes it serves and which API (SCIM or admin) they belong to. */
export interface HandlerPlan {
  handler: string;
  kind: 'scim' | 'admin';
  routes: RouteDef[];
}

export function planHandlers(scim: RouteDef[], admin: RouteDef[]): HandlerPlan[] {
  const plans = new Map<string, HandlerPlan>();
  for (const [kind, routes] of [['scim', scim], ['admin', admin]] as const) {
    for (const route of routes) {
      const plan = plans.get(route.handler) ?? { handler: route.handler, kind, routes: [] };
      if (plan.kind !== kind) {
        // Admin handlers trust API Gateway's IAM check; a SCIM route must never reach one.
        throw new Error(`Handler '${route.handler}' serves both SCIM and admin routes`);
      }
      plan.routes.push(route);
      plans.set(route.handler, plan);
    }
  }
  return [...plans.values()];
}

/**
 * scimlink on AWS: the table, one function per handler module with least-privilege roles, the REST API with
 * SCIM and admin routes, and alarms. Token-hash secrets are created at run time (one per account) under
 * `scimlink/<stage>/tokens/`, so they are not resources of this stack.
 */
export class ScimlinkStack extends Stack {
  readonly api: ScimlinkApi;
  readonly functions = new Map<string, ScimlinkFunction>();
  readonly events: ScimlinkEvents;

  constructor(scope: Construct, id: string, props: ScimlinkStackProps) {
    super(scope, id, {
      description: `scimlink ${props.config.stage}: SCIM 2.0 endpoint for Microsoft Entra ID provisioning`,
      ...props,
    });
    const { config } = props;
    const routes = props.routes ?? { scim: SCIM_ROUTES, admin: ADMIN_ROUTES };
    Tags.of(this).add('app', 'scimlink');
    Tags.of(this).add('scimlink:stage', config.stage);

    const tokenSecretPrefix = `scimlink/${config.stage}/tokens/`;
    const { table } = new ScimlinkTable(this, 'Data', {
      removalPolicy: config.removalPolicy,
      deletionProtection: config.tableDeletionProtection,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: config.logRetention, removalPolicy: config.removalPolicy });
    this.api = new ScimlinkApi(this, 'Api', { config, accessLogs });

    const fns = new Map<string, IFunction>();
    for (const plan of planHandlers(routes.scim, routes.admin)) {
      const access = HANDLER_ACCESS[plan.handler];
      if (!access) throw new Error(`lambdas/routes.ts: HANDLER_ACCESS has no entry for handler '${plan.handler}'`);
      const f = new ScimlinkFunction(this, plan.handler, {
        handler: plan.handler,
        access,
        routes: plan.routes.map((r) => `${r.method} ${r.path}`),
        recordsLastRequest: plan.kind === 'scim',
        table,
        tokenSecretPrefix,
        environment: {
          TABLE_NAME: table.tableName,
          TOKEN_SECRET_PREFIX: tokenSecretPrefix,
          // Tenant URLs (key generation) and meta.location start with the public URL, whichever host was called.
          API_BASE_URL: this.api.baseUrl,
          ...(plan.kind === 'admin' ? { ADMIN_AUTH: 'iam' } : {}),
        },
        memorySize: config.memorySize,
        logLevel: config.logLevel,
        logRetention: config.logRetention,
        removalPolicy: config.removalPolicy,
      });
      this.functions.set(plan.handler, f);
      fns.set(plan.handler, f.fn);
    }

    // Change events and the provisioning log (fed by the SCIM functions' request log lines).
    this.events = new ScimlinkEvents(this, 'Events', {
      config,
      table,
      tokenSecretPrefix,
      scimLogGroups: new Map(
        planHandlers(routes.scim, []).map((p) => [p.handler, (this.functions.get(p.handler) as ScimlinkFunction).logGroup]),
      ),
    });

    this.api.addRoutes(routes.scim, fns, 'none');
    this.api.addRoutes(routes.admin, fns, 'iam');

    const outputs: Record<string, [string, string]> = {
      ApiUrl: [this.api.baseUrl, 'Public base URL of the API'],
      ScimUrl: [`${this.api.baseUrl}/scim/`, 'Tenant URLs are this plus <accountId>.<tenantKey> (made by `scimlink keys generate`)'],
      TableName: [table.tableName, 'DynamoDB table'],
      TokenSecretPrefix: [tokenSecretPrefix, 'Secrets Manager name prefix of the token hashes'],
      EventBusName: [this.events.bus.eventBusName, 'EventBridge bus of the "User Changed" events (subscribe with a rule)'],
      EventsDeadLetterQueueUrl: [this.events.deadLetters.queueUrl, 'Stream batches that could not be published after all retries'],
    };
    if (this.api.domainTarget) {
      outputs.DomainTarget = [this.api.domainTarget, `Point a CNAME for ${config.domain?.name} at this host name`];
    }

    if (routes.admin.length > 0) {
      outputs.AdminUrl = [`${this.api.baseUrl}/admin`, 'SCIMLINK_ADMIN_URL for the scimlink CLI (SigV4-signed requests)'];
      // What an operator's role needs to use the CLI against this stage, and nothing else.
      const adminPolicy = new ManagedPolicy(this, 'AdminInvokePolicy', {
        description: `Invoke the scimlink ${config.stage} admin API (attach to operators' roles)`,
        statements: [new PolicyStatement({ actions: ['execute-api:Invoke'], resources: [this.api.invokeArn('/admin/*')] })],
      });
      Validations.of(adminPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${this.getLogicalId(this.api.api.node.defaultChild as CfnRestApi)}>/${config.stage}/*/admin/*]`,
        reason:
          'Any method of any admin route of this one API stage (the admin API is what operators are granted as a whole); ' +
          'account and user ids in the paths need the wildcard anyway.',
      });
      outputs.AdminInvokePolicyArn = [adminPolicy.managedPolicyArn, 'Managed policy granting execute-api:Invoke on the admin routes'];
    }

    const alarms = new ScimlinkAlarms(this, 'Alarms', {
      stage: this.api.api.deploymentStage,
      accessLogs,
      table,
      functions: fns,
      alarmEmail: config.alarmEmail,
    });
    outputs.AlarmTopicArn = [alarms.topic.topicArn, 'SNS topic of all alarms (subscribe e-mail, chat or paging to it)'];

    for (const [key, [value, description]] of Object.entries(outputs)) new CfnOutput(this, key, { value, description });
  }
}
