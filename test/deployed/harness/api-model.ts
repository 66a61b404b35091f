/**
 * The REST API as the template defines it: the resource tree (`AWS::ApiGateway::Resource` parent/path part
 * chains), methods with their authorization type, authorizer and Lambda proxy integration, gateway responses,
 * binary media types, the resource policy and the `lambda:InvokeFunction` permissions API Gateway needs.
 * Nothing here reads lib/ or lambdas/routes.ts.
 */
import { Statement, list, statementsOf } from './iam';
import { SynthesizedStack } from './template';

/* eslint-disable @typescript-eslint/no-explicit-any -- template JSON */
export interface ApiMethod {
  logicalId: string;
  httpMethod: string;
  /** `/scim/{tenant}/Users` */
  resourcePath: string;
  resourceId: string;
  authorizationType: 'NONE' | 'AWS_IAM' | 'COGNITO_USER_POOLS' | 'CUSTOM';
  authorizer?: { type: string; identitySource: string; providerArns: string[] };
  /** ARN of the function a Lambda proxy integration invokes. */
  functionArn?: string;
  integrationType: string;
}

export interface GatewayResponseDef {
  statusCode?: string;
  headers: Record<string, string>;
  templates: Record<string, string>;
}

export interface RestApiModel {
  logicalId: string;
  apiId: string;
  stage: string;
  domainName: string;
  methods: ApiMethod[];
  gatewayResponses: Map<string, GatewayResponseDef>;
  binaryMediaTypes: string[];
  resourcePolicy?: Statement[];
  /** `lambda:InvokeFunction` grants to API Gateway: function ARN → source ARN patterns. */
  invokePermissions: Array<{ functionArn: string; sourceArn?: string }>;
}

export function restApis(stack: SynthesizedStack): RestApiModel[] {
  return stack.ofType('AWS::ApiGateway::RestApi').map(([apiLogicalId, api]) => {
    const belongs = (r: { Properties?: Record<string, any> }) => SynthesizedStack.target(r.Properties?.RestApiId) === apiLogicalId;
    const apiId = stack.resolve({ Ref: apiLogicalId }) as string;
    const rootId = stack.resolve({ 'Fn::GetAtt': [apiLogicalId, 'RootResourceId'] }) as string;

    // Resource id → full path, following ParentId chains.
    const resources = stack.ofType('AWS::ApiGateway::Resource').filter(([, r]) => belongs(r));
    const parentOf = new Map(resources.map(([id, r]) => [stack.resolve({ Ref: id }) as string, { parent: stack.resolve(r.Properties?.ParentId) as string, part: r.Properties?.PathPart as string }]));
    const pathOf = (resourceId: string): string => {
      if (resourceId === rootId) return '/';
      const node = parentOf.get(resourceId);
      if (!node) throw new Error(`API ${apiLogicalId}: resource ${resourceId} has no parent chain to the root`);
      const parent = pathOf(node.parent);
      return `${parent === '/' ? '' : parent}/${node.part}`;
    };

    const authorizers = new Map(
      stack.ofType('AWS::ApiGateway::Authorizer').filter(([, r]) => belongs(r)).map(([id, r]) => [
        stack.resolve({ Ref: id }) as string,
        { type: r.Properties?.Type as string, identitySource: r.Properties?.IdentitySource as string, providerArns: stack.resolve(r.Properties?.ProviderARNs ?? []) as string[] },
      ]),
    );

    const methods: ApiMethod[] = stack.ofType('AWS::ApiGateway::Method').filter(([, r]) => belongs(r)).map(([id, r]) => {
      const p = r.Properties ?? {};
      const resourceId = stack.resolve(p.ResourceId) as string;
      const uri = p.Integration?.Uri ? (stack.resolve(p.Integration.Uri) as string) : '';
      const authorizerId = p.AuthorizerId ? (stack.resolve(p.AuthorizerId) as string) : undefined;
      return {
        logicalId: id,
        httpMethod: p.HttpMethod,
        resourcePath: pathOf(resourceId),
        resourceId,
        authorizationType: p.AuthorizationType ?? 'NONE',
        ...(authorizerId ? { authorizer: authorizers.get(authorizerId) } : {}),
        ...(/:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri) ? { functionArn: /functions\/(.+)\/invocations$/.exec(uri)?.[1] } : {}),
        integrationType: p.Integration?.Type ?? 'MOCK',
      };
    });

    const stages = stack.ofType('AWS::ApiGateway::Stage').filter(([, r]) => belongs(r));
    if (stages.length !== 1) throw new Error(`API ${apiLogicalId}: expected one stage, found ${stages.length}`);
    const stage = stack.resolve(stages[0]?.[1].Properties?.StageName) as string;

    const gatewayResponses = new Map(
      stack.ofType('AWS::ApiGateway::GatewayResponse').filter(([, r]) => belongs(r)).map(([, r]) => {
        const p = stack.resolve(r.Properties ?? {}) as Record<string, any>;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries((p.ResponseParameters ?? {}) as Record<string, string>)) {
          const name = /^gatewayresponse\.header\.(.+)$/.exec(k)?.[1];
          // Static values are quoted ('value'); mappings from the request are not emulated.
          if (name && /^'.*'$/.test(v)) headers[name] = v.slice(1, -1);
        }
        return [p.ResponseType as string, { statusCode: p.StatusCode, headers, templates: p.ResponseTemplates ?? {} }];
      }),
    );

    const policy = api.Properties?.Policy ? stack.resolve(api.Properties.Policy) : undefined;
    const functionArns = new Set(methods.map((m) => m.functionArn).filter(Boolean));
    const invokePermissions = stack
      .ofType('AWS::Lambda::Permission')
      .map(([, r]) => stack.resolve(r.Properties ?? {}) as Record<string, any>)
      .filter((p) => p.Principal === 'apigateway.amazonaws.com' && list(p.Action).includes('lambda:InvokeFunction'))
      .map((p) => ({ functionArn: resolveFunctionArn(stack, p.FunctionName), ...(p.SourceArn ? { sourceArn: p.SourceArn as string } : {}) }))
      .filter((p) => functionArns.has(p.functionArn));

    return {
      logicalId: apiLogicalId,
      apiId,
      stage,
      domainName: `${apiId}.execute-api.${stack.resolve({ Ref: 'AWS::Region' })}.${stack.resolve({ Ref: 'AWS::URLSuffix' })}`,
      methods,
      gatewayResponses,
      binaryMediaTypes: (api.Properties?.BinaryMediaTypes ?? []) as string[],
      ...(policy ? { resourcePolicy: statementsOf(`${apiLogicalId}.Policy`, apiLogicalId, typeof policy === 'string' ? JSON.parse(policy) : policy, true) } : {}),
      invokePermissions,
    };
  });
}

/** A permission's FunctionName may be a name, an ARN or a partial ARN. */
function resolveFunctionArn(stack: SynthesizedStack, name: unknown): string {
  const v = String(name);
  if (v.startsWith('arn:')) return v;
  return stack.resolve({ 'Fn::GetAtt': [stack.ofType('AWS::Lambda::Function').find(([id]) => stack.resolve({ Ref: id }) === v)?.[0] ?? '', 'Arn'] }) as string;
}
