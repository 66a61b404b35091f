import { Aws, Fn, Validations } from 'aws-cdk-lib';
import { RemovalPolicy } from 'aws-cdk-lib';
import { PolicyDocument } from 'aws-cdk-lib/aws-iam';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  IAuthorizer,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodDeploymentOptions,
  MethodOptions,
  RestApi,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayDomain } from 'aws-cdk-lib/aws-route53-targets';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { RouteDef } from '../lambdas/routes';
import { ScimlinkConfig } from './config';
import { ScimlinkEdgeProtection } from './edge-protection';
import { addScimGatewayResponses } from './gateway-responses';

export interface ScimlinkApiProps {
  config: ScimlinkConfig;
  accessLogs: LogGroup;
  /** Who may invoke what (lib/operators.ts: everyone on SCIM and console routes, named operators on /admin). */
  policy?: PolicyDocument;
  /** The routes of each group, each method with its group's throttle (config.routeThrottling). */
  routeGroups?: Partial<Record<'scim' | 'admin' | 'console', RouteDef[]>>;
}

/** `methodOptions` keys (`<resource path>/<METHOD>`) with each route group's own throttle. */
function methodThrottles(config: ScimlinkConfig, groups: ScimlinkApiProps['routeGroups'] = {}): Record<string, MethodDeploymentOptions> {
  const out: Record<string, MethodDeploymentOptions> = {};
  for (const [group, routes] of Object.entries(groups) as Array<[keyof ScimlinkConfig['routeThrottling'], RouteDef[]]>) {
    const { rateLimit, burstLimit } = config.routeThrottling[group];
    for (const r of routes) out[`${r.path}/${r.method}`] = { throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit };
  }
  return out;
}

/**
 * Access log line (JSON, one per request). `resourcePath` is the route template (`/scim/{tenant}/Users/{id}`),
 * never the called path: the tenant URL carries the account's tenant key, which stays out of logs (SPEC §2). No
 * query string either (filters carry personal data). `integrationRequestId` is the Lambda request id, the link to
 * the function's own log line.
 */
const ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '"$context.requestId"',
  time: '"$context.requestTime"',
  ip: '"$context.identity.sourceIp"',
  userAgent: '"$context.identity.userAgent"',
  caller: '"$context.identity.userArn"',
  // Console requests: the Cognito user (its immutable `sub`; `aws cognito-idp list-users --filter 'sub = "…"'`).
  consoleUser: '"$context.authorizer.claims.sub"',
  method: '"$context.httpMethod"',
  resourcePath: '"$context.resourcePath"',
  status: '$context.status',
  responseLength: '"$context.responseLength"',
  latencyMs: '$context.responseLatency',
  integrationStatus: '"$context.integration.status"',
  integrationLatencyMs: '"$context.integration.latency"',
  integrationRequestId: '"$context.integration.requestId"',
  integrationError: '"$context.integration.error"',
  errorType: '"$context.error.responseType"',
  error: '"$context.error.message"',
};
const ACCESS_LOG_FORMAT = `{${Object.entries(ACCESS_LOG_FIELDS)
  .map(([k, v]) => `"${k}":${v}`)
  .join(',')}}`;

/** How a route's callers are authorised (see `ScimlinkApi.addRoutes`). */
export type RouteAuthorization = 'scim-token' | 'iam' | 'public' | { cognito: IAuthorizer };

function methodAuthorization(a: RouteAuthorization): MethodOptions {
  if (a === 'iam') return { authorizationType: AuthorizationType.IAM };
  if (typeof a === 'object') return { authorizationType: AuthorizationType.COGNITO, authorizer: a.cognito };
  return { authorizationType: AuthorizationType.NONE };
}

interface Ack {
  id: string;
  reason: string;
}

/**
 * The cdk-nag findings each kind of route answers on purpose, acknowledged per method so that a finding on any
 * other method still fails the synth. Console API methods use the Cognito authorizer and need none.
 */
const METHOD_ACKS: Record<'scim-token' | 'iam' | 'public' | 'cognito', Ack[]> = {
  'scim-token': [
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'SCIM routes authenticate Entra\'s Bearer token in the handler: a strongly consistent read of the integration ' +
        'item and a constant-time hash comparison (SPEC section 2). A Lambda authorizer\'s cached decision could outlive ' +
        'a key regeneration, which must refuse the old token on the very next request.',
    },
    {
      id: 'AwsSolutions-COG4',
      reason: 'The caller is Microsoft Entra ID with a Bearer token per tenant (SPEC section 2); it has no Cognito user pool identity.',
    },
  ],
  iam: [
    {
      id: 'AwsSolutions-COG4',
      reason:
        'The /admin routes are for operators and the scimlink CLI signing with IAM (SigV4, AWS_IAM authorisation); people ' +
        'reach the same operations through /console/api, which uses the Cognito user pool authorizer.',
    },
  ],
  public: [
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'The console\'s static files (HTML, JS, CSS, and config.json with the public hosted-UI domain and client id) are ' +
        'the page a person loads to sign in; they hold no data, and every call the page makes goes to /console/api.',
    },
    {
      id: 'AwsSolutions-COG4',
      reason:
        'The console\'s static files are loaded before sign-in (the page then sends people to the Cognito hosted UI); ' +
        'the API the page calls, /console/api, requires the Cognito ID token.',
    },
  ],
  cognito: [],
};

/**
 * The REST API: stage with throttling and access logs, SCIM gateway responses, optional custom domain and WAF.
 * Routes are added with `addRoutes` once the functions exist (they need `baseUrl`, which does not depend on
 * them, so there is no cycle).
 */
export class ScimlinkApi extends Construct {
  readonly api: RestApi;
  /** Public base URL without trailing slash: `https://<domain>` or the stage URL. Tenant URLs start with it. */
  readonly baseUrl: string;
  readonly stageName: string;
  /** With a custom domain but no hosted zone: the regional host name to point a CNAME at. */
  readonly domainTarget?: string;
  private readonly integrations = new Map<IFunction, LambdaIntegration>();

  constructor(scope: Construct, id: string, props: ScimlinkApiProps) {
    super(scope, id);
    const { config } = props;
    this.stageName = config.stage;

    this.api = new RestApi(this, 'Api', {
      restApiName: `scimlink-${config.stage}`,
      description: `scimlink ${config.stage}: SCIM 2.0 for Microsoft Entra ID provisioning, the admin API and its console`,
      // Regional: the callers are Entra's provisioning service, operators and a few console users, not browsers
      // around the world (the console is a few small files), and a regional custom domain takes a certificate
      // from this region.
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // A stage that logs needs the account's API Gateway CloudWatch role, which a fresh account lacks (the first
      // deploy would fail). Created here unless the operator manages it (context apiGatewayCloudWatchRole=false),
      // and retained on delete: it is account-wide, other APIs may rely on it.
      cloudWatchRole: config.apiGatewayCloudWatchRole,
      ...(config.apiGatewayCloudWatchRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      ...(props.policy ? { policy: props.policy } : {}),
      deployOptions: {
        methodOptions: methodThrottles(config, props.routeGroups),
        stageName: config.stage,
        throttlingRateLimit: config.throttling.rateLimit,
        throttlingBurstLimit: config.throttling.burstLimit,
        accessLogDestination: new LogGroupLogDestination(props.accessLogs),
        accessLogFormat: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
        // Per-method detailed metrics would bill ~7 custom metrics per route; the alarms use the stage's.
        metricsEnabled: false,
      },
    });

    // The default `Endpoint` output ends in `/` and duplicates the stack's ApiUrl output.
    this.api.node.tryRemoveChild('Endpoint');
    addScimGatewayResponses(this, this.api);

    // COG4 (no Cognito authorizer) is acknowledged per method in addRoutes: only the console's API uses one.
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Bodies are validated by the handlers against the SCIM schema, answering RFC 7644 errors that name the attribute ' +
          '(400 invalidSyntax/invalidValue, 413, 415); an API Gateway model would duplicate those rules and answer a non-SCIM 400 first.',
      },
    );
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason:
        'Execution logs would log request details per method at a cost per request; the JSON access log has a line per ' +
        'request with the gateway error and the integration status, error and latency, which is what the alarms use.',
    });
    if (config.apiGatewayCloudWatchRole) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level role API Gateway needs to write any stage log (a fresh account has none, and a stage with ' +
          'access logs fails to deploy without it). AWS maintains this policy for exactly this service role.',
      });
    }

    if (config.domain) {
      const domain = this.api.addDomainName('Domain', {
        domainName: config.domain.name,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', config.domain.certificateArn),
        endpointType: EndpointType.REGIONAL,
        // TLS 1.2+ (Entra's provisioning client negotiates TLS 1.2 or 1.3; a TLS 1.3-only policy would risk it).
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      if (config.domain.hostedZone) {
        new ARecord(this, 'DomainAlias', {
          zone: HostedZone.fromHostedZoneAttributes(this, 'Zone', {
            hostedZoneId: config.domain.hostedZone.id,
            zoneName: config.domain.hostedZone.name,
          }),
          recordName: config.domain.name,
          target: RecordTarget.fromAlias(new ApiGatewayDomain(domain)),
        });
      } else {
        this.domainTarget = domain.domainNameAliasDomainName;
      }
      this.baseUrl = `https://${config.domain.name}`;
    } else {
      // Built from the API id, not `api.url`: that token references the stage, which depends on every method,
      // which depends on the functions that receive this URL — a cycle.
      this.baseUrl = Fn.join('', ['https://', this.api.restApiId, '.execute-api.', Aws.REGION, '.', Aws.URL_SUFFIX, `/${config.stage}`]);
    }

    if (config.webAclArn) {
      new CfnWebACLAssociation(this, 'WebAcl', { resourceArn: this.api.deploymentStage.stageArn, webAclArn: config.webAclArn });
    } else if (config.edge) {
      new ScimlinkEdgeProtection(this, 'Edge', { stage: config.stage, limits: config.edge, stageArn: this.api.deploymentStage.stageArn });
    } else {
      Validations.of(this.api.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'WAF was switched off (context waf=false). The stage and each route group are still throttled, every SCIM ' +
          'handler authenticates the Bearer token, admin routes need a named operator, console API routes a Cognito ID token.',
      });
    }
  }

  /**
   * One method per route, authorised as its kind of caller needs:
   * - `scim-token`: Entra's Bearer token, checked in the handler (NONE here);
   * - `iam`: the admin API for operators and the CLI (SigV4): API Gateway refuses unsigned or unauthorised
   *   callers before any Lambda runs;
   * - `{ cognito }`: the same admin operations for people in the console, with a Cognito user pool ID token;
   * - `public`: the console's static files, the page a person loads before signing in.
   */
  addRoutes(routes: RouteDef[], functions: Map<string, IFunction>, authorization: RouteAuthorization): void {
    for (const route of routes) {
      const fn = functions.get(route.handler);
      if (!fn) throw new Error(`No function for handler '${route.handler}' (${route.method} ${route.path})`);
      const method = this.api.root.resourceForPath(route.path).addMethod(route.method, this.integration(fn), {
        ...methodAuthorization(authorization),
        operationName: route.handler,
      });
      for (const ack of METHOD_ACKS[typeof authorization === 'string' ? authorization : 'cognito']) {
        Validations.of(method).acknowledge(ack);
      }
    }
  }

  /**
   * `execute-api:Invoke` ARN of any method on routes under `pathPrefix` (e.g. `/admin/*`) of this stage. Built from
   * pseudo parameters and the stage name so it renders the same with or without an explicit account/region.
   */
  invokeArn(pathPrefix: string): string {
    return `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${this.api.restApiId}/${this.stageName}/*${pathPrefix}`;
  }

  private integration(fn: IFunction): LambdaIntegration {
    let integration = this.integrations.get(fn);
    if (!integration) {
      // allowTestInvoke: false — the console's test-invoke would need a second, stage-less permission per method.
      integration = new LambdaIntegration(fn, { allowTestInvoke: false });
      this.integrations.set(fn, integration);
    }
    return integration;
  }
}
