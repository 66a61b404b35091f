import { CfnOutput, Stack, StackProps, Tags, Validations } from 'aws-cdk-lib';
import { CfnRestApi } from 'aws-cdk-lib/aws-apigateway';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ADMIN_ROUTES, CONSOLE_API_ROUTES, CONSOLE_ROUTES, HANDLER_ACCESS, HEALTH_ROUTES, RouteDef, SCIM_ROUTES } from '../lambdas/routes';
import { ScimlinkAlarms } from './alarms';
import { ScimlinkApi } from './api';
import { ScimlinkConfig } from './config';
import { consoleBundleFiles, ScimlinkConsole } from './console';
import { ScimlinkDashboard } from './dashboard';
import { ScimlinkInsights } from './insights';
import { ScimlinkEvents } from './events';
import { ScimlinkFunction, metricsNamespace } from './handler-function';
import { ScimlinkOperators } from './operators';
import { ScimlinkTable } from './table';

export interface ScimlinkStackProps extends StackProps {
  config: ScimlinkConfig;
  /**
   * Defaults to lambdas/routes.ts; tests may pass their own. `consoleApi` (admin handlers behind the Cognito
   * authorizer) and `console` (the static files) default to none when `routes` is given.
   */
  routes?: { scim: RouteDef[]; admin: RouteDef[]; consoleApi?: RouteDef[]; console?: RouteDef[]; health?: RouteDef[] };
}

/**
 * Every handler module with the routes it serves and which kind it is: SCIM, admin (the /admin routes and the
 * same operations under /console/api), or the console's static files.
 */
export interface HandlerPlan {
  handler: string;
  kind: 'scim' | 'admin' | 'console' | 'health';
  routes: RouteDef[];
}

const KIND_LABEL: Record<HandlerPlan['kind'], string> = { scim: 'SCIM', admin: 'admin', console: 'console', health: 'health' };

export function planHandlers(scim: RouteDef[], admin: RouteDef[], consoleFiles: RouteDef[] = [], health: RouteDef[] = []): HandlerPlan[] {
  const plans = new Map<string, HandlerPlan>();
  for (const [kind, routes] of [['scim', scim], ['admin', admin], ['console', consoleFiles], ['health', health]] as const) {
    for (const route of routes) {
      const plan = plans.get(route.handler) ?? { handler: route.handler, kind, routes: [] };
      if (plan.kind !== kind) {
        // Admin handlers trust the gateway's IAM or Cognito check; a SCIM or public route must never reach one.
        throw new Error(`Handler '${route.handler}' serves both ${KIND_LABEL[plan.kind]} and ${KIND_LABEL[kind]} routes`);
      }
      plan.routes.push(route);
      plans.set(route.handler, plan);
    }
  }
  return [...plans.values()];
}

/**
 * scimlink on AWS: the table, one function per handler module with least-privilege roles, the REST API with
 * SCIM and admin routes, the browser console with its Cognito user pool, and alarms. Token-hash secrets are
 * created at run time (one per account) under `scimlink/<stage>/tokens/`, so they are not resources of this stack.
 */
export class ScimlinkStack extends Stack {
  readonly api: ScimlinkApi;
  readonly functions = new Map<string, ScimlinkFunction>();
  readonly events: ScimlinkEvents;
  /** The console's user pool, client and authorizer (absent when a test passes routes without console ones). */
  readonly console?: ScimlinkConsole;

  constructor(scope: Construct, id: string, props: ScimlinkStackProps) {
    super(scope, id, {
      description: `scimlink ${props.config.stage}: SCIM 2.0 endpoint for Microsoft Entra ID provisioning`,
      ...props,
    });
    const { config } = props;
    const routes = props.routes ?? { scim: SCIM_ROUTES, admin: ADMIN_ROUTES, consoleApi: CONSOLE_API_ROUTES, console: CONSOLE_ROUTES, health: HEALTH_ROUTES };
    const consoleApiRoutes = routes.consoleApi ?? [];
    const healthRoutes = routes.health ?? [];
    const consoleRoutes = routes.console ?? [];
    Tags.of(this).add('app', 'scimlink');
    Tags.of(this).add('scimlink:stage', config.stage);

    const tokenSecretPrefix = `scimlink/${config.stage}/tokens/`;
    const { table } = new ScimlinkTable(this, 'Data', {
      removalPolicy: config.removalPolicy,
      deletionProtection: config.tableDeletionProtection,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: config.logRetention, removalPolicy: config.removalPolicy });
    // Only the operators the deployer names may call /admin (the stack's operator role and context
    // operatorPrincipalArns): the API's resource policy, and the admin handlers check it again.
    const operators = new ScimlinkOperators(this, 'Operators', { stage: config.stage, named: config.operatorPrincipalArns });
    this.api = new ScimlinkApi(this, 'Api', {
      config,
      accessLogs,
      ...(routes.admin.length > 0 ? { policy: operators.resourcePolicy() } : {}),
      routeGroups: { scim: routes.scim, admin: routes.admin, console: [...consoleApiRoutes, ...consoleRoutes] },
    });
    if (consoleApiRoutes.length > 0 || consoleRoutes.length > 0) {
      // Served by this API (same origin as the admin API it calls): from the API id or the custom domain, so
      // the user pool's callback URL does not depend on the stage and its methods.
      this.console = new ScimlinkConsole(this, 'Console', { config, consoleUrl: `${this.api.baseUrl}/console/` });
    }

    // The provisioning log's sealing key (lambdas/log/sealed.ts): the SCIM functions seal the account's own values
    // into their request log lines with it, log-ingest opens them; CloudWatch Logs readers see only ciphertext.
    const logKey = new Secret(this, 'LogKey', {
      description: 'scimlink: key that seals user values in the SCIM request log lines for the provisioning log',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: config.removalPolicy,
    });
    Validations.of(logKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated automatically: a line sealed under the previous key would no longer open while log-ingest catches ' +
        'up. To rotate, put a new value: lines in flight keep only their masked rule.',
    });

    const fns = new Map<string, IFunction>();
    for (const plan of planHandlers(routes.scim, [...routes.admin, ...consoleApiRoutes], consoleRoutes, healthRoutes)) {
      const access = HANDLER_ACCESS[plan.handler];
      if (!access) throw new Error(`lambdas/routes.ts: HANDLER_ACCESS has no entry for handler '${plan.handler}'`);
      const f = new ScimlinkFunction(this, plan.handler, {
        handler: plan.handler,
        access,
        routes: plan.routes.map((r) => `${r.method} ${r.path}`),
        recordsLastRequest: plan.kind === 'scim',
        table,
        tokenSecretPrefix,
        environment:
          plan.kind === 'health'
            ? {} // touches nothing (lambdas/health.ts)
            : plan.kind === 'console'
            ? {
                // The console's config.json: where to send people to sign in, and as which client.
                COGNITO_DOMAIN: this.console!.hostedUiUrl,
                COGNITO_CLIENT_ID: this.console!.client.userPoolClientId,
              }
            : {
                TABLE_NAME: table.tableName,
                TOKEN_SECRET_PREFIX: tokenSecretPrefix,
                // Tenant URLs (key generation) and meta.location start with the public URL, whichever host was called.
                API_BASE_URL: this.api.baseUrl,
                ...(plan.kind === 'admin' ? { ADMIN_AUTH: 'iam', OPERATOR_PRINCIPALS: operators.principalArns.join(',') } : {}),
                // Quotas (issue 14, item 5): SCIM creates and the admin functions read the deployment's defaults.
                MAX_USERS_PER_ACCOUNT: String(config.quotas.maxUsersPerAccount),
                ...(plan.kind === 'admin' ? { MAX_ACCOUNTS_PER_PARTNER: String(config.quotas.maxAccountsPerPartner) } : {}),
                ...(plan.kind === 'scim' ? { LOG_KEY_SECRET: logKey.secretArn } : {}),
                ...(plan.kind === 'scim' && config.documentationUrl ? { DOCUMENTATION_URI: config.documentationUrl } : {}),
              },
        bundleFiles: plan.kind === 'console' ? consoleBundleFiles : undefined,
        // SCIM traffic, however much, cannot take the concurrency operators and console users need.
        reservedConcurrency: plan.kind === 'scim' ? undefined : config.reservedConcurrency || undefined,
        memorySize: config.memorySize,
        logLevel: config.logLevel,
        logRetention: config.logRetention,
        removalPolicy: config.removalPolicy,
      });
      if (plan.kind === 'scim') f.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [logKey.secretArn] }));
      this.functions.set(plan.handler, f);
      fns.set(plan.handler, f.fn);
    }

    // Change events and the provisioning log (fed by the SCIM functions' request log lines).
    this.events = new ScimlinkEvents(this, 'Events', {
      config,
      table,
      tokenSecretPrefix,
      logKey,
      scimLogGroups: new Map(
        planHandlers(routes.scim, []).map((p) => [p.handler, (this.functions.get(p.handler) as ScimlinkFunction).logGroup]),
      ),
    });

    this.api.addRoutes(routes.scim, fns, 'scim-token');
    this.api.addRoutes(routes.admin, fns, 'iam');
    if (this.console) {
      this.api.addRoutes(consoleApiRoutes, fns, { cognito: this.console.authorizer });
      this.api.addRoutes(consoleRoutes, fns, 'public');
    }
    this.api.addRoutes(healthRoutes, fns, 'health');

    const outputs: Record<string, [string, string]> = {
      ApiUrl: [this.api.baseUrl, 'Public base URL of the API'],
      ScimUrl: [`${this.api.baseUrl}/scim/`, 'Tenant URLs are this plus <accountId>.<tenantKey> (made by `scimlink keys generate`)'],
      TableName: [table.tableName, 'DynamoDB table'],
      TokenSecretPrefix: [tokenSecretPrefix, 'Secrets Manager name prefix of the token hashes'],
      EventBusName: [this.events.bus.eventBusName, 'EventBridge bus of the "User Changed" events (subscribe with a rule)'],
      EventsDeadLetterQueueUrl: [this.events.deadLetters.queueUrl, 'Stream batches that could not be published after all retries'],
    };
    if (this.console) {
      outputs.ConsoleUrl = [this.console.consoleUrl, 'The browser console (sign in with a user of UserPoolId)'];
      outputs.UserPoolId = [this.console.userPool.userPoolId, 'Console users: aws cognito-idp admin-create-user --user-pool-id <this> …'];
    }
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
      adminPolicy.attachToRole(operators.role);
      outputs.OperatorRoleArn = [operators.role.roleArn, 'Operators assume this role to use /admin (scimlink CLI); others: context operatorPrincipalArns'];
      outputs.AdminInvokePolicyArn = [adminPolicy.managedPolicyArn, 'Managed policy granting execute-api:Invoke on the admin routes'];
    }

    const alarms = new ScimlinkAlarms(this, 'Alarms', {
      stage: this.api.api.deploymentStage,
      accessLogs,
      table,
      functions: fns,
      alarmEmail: config.alarmEmail,
      eventsDeadLetters: this.events.deadLetters,
    });
    outputs.AlarmTopicArn = [alarms.topic.topicArn, 'SNS topic of all alarms (subscribe e-mail, chat or paging to it)'];

    // Per-tenant views (Contributor Insights on the request lines) and the operators' dashboard (docs/observability.md).
    const scimHandlers = new Set(planHandlers(routes.scim, []).map((p) => p.handler));
    const insights = new ScimlinkInsights(this, 'Insights', {
      scimLogGroups: [...scimHandlers].map((h) => (this.functions.get(h) as ScimlinkFunction).logGroup),
      accessLogs,
    });
    const dashboard = new ScimlinkDashboard(this, 'Dashboard', {
      namespace: metricsNamespace(this),
      stage: this.api.api.deploymentStage,
      table,
      scimFunctions: new Map([...fns].filter(([h]) => scimHandlers.has(h))),
      otherFunctions: new Map([
        ...[...fns].filter(([h]) => !scimHandlers.has(h)),
        ['stream-user-events', this.events.publisher.fn],
        ['log-ingest', this.events.logIngest.fn],
      ]),
      apiFaults: alarms.apiFaults,
      apiTransient: alarms.apiTransient,
      eventsDeadLetters: this.events.deadLetters,
      eventsPublisher: this.events.publisher.fn,
      insightRules: insights.ruleNames,
      alarms: alarms.alarms,
    });
    outputs.DashboardUrl = [
      `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${dashboard.dashboard.dashboardName}`,
      'The operators\' CloudWatch dashboard',
    ];
    if (healthRoutes.length > 0) outputs.HealthUrl = [`${this.api.baseUrl}/health`, 'Uptime check: 200 {"status":"ok"}, no auth, touches no data'];

    for (const [key, [value, description]] of Object.entries(outputs)) new CfnOutput(this, key, { value, description });
  }
}
