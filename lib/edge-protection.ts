import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { ScimlinkConfig } from './config';

export interface EdgeProtectionProps {
  stage: string;
  limits: NonNullable<ScimlinkConfig['edge']>;
  stageArn: string;
}

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
/** WAF's answer over a limit: a SCIM 429 with Retry-After, which Entra honours (it retries the request later). */
const TOO_MANY = JSON.stringify({
  schemas: [ERROR_SCHEMA],
  status: '429',
  detail: 'Too many requests from this client or for this tenant URL; retry after the time in Retry-After.',
});

const pathContains = (text: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'CONTAINS',
    searchString: text,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

/** Requests without a scimlink-shaped Bearer token (`Bearer scimlink_…`): junk, scanners, old integrations. */
const withoutScimlinkToken: CfnWebACL.StatementProperty = {
  notStatement: {
    statement: {
      byteMatchStatement: {
        fieldToMatch: { singleHeader: { Name: 'authorization' } },
        positionalConstraint: 'STARTS_WITH',
        searchString: 'bearer scimlink_',
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    },
  },
};

/**
 * The stage's AWS WAF web ACL (issue 13, item 3): rate-based rules that keep one tenant's traffic, or a flood at one
 * tenant URL, from using up what every tenant shares (the method throttles, Lambda concurrency, the table). Each
 * rule counts per 60 s and blocks with a SCIM 429 + Retry-After:
 * - per **token** on /scim/ (key: the Authorization header): a tenant's own Entra, or anyone holding its token,
 *   gets `wafTokenRatePerMinute` — the per-tenant limit, global across every function instance;
 * - per **IP** on /scim/ for requests without a scimlink token (`Bearer scimlink_…`): junk gets
 *   `wafJunkRatePerMinute` per address (Entra's own requests, which share Microsoft's egress addresses across
 *   tenants, always carry a token, so they are never counted here);
 * - per **URI path** on /scim/: a flood at one exact path (e.g. one tenant URL's /Users) from many addresses;
 * - per **IP** on /admin/ and /console/: `wafAdminRatePerMinute` per address.
 * Without a token rule a leaked-token flood would need the stage throttle to stop it — shared by all tenants.
 */
export class ScimlinkEdgeProtection extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeProtectionProps) {
    super(scope, id);
    const { limits, stage } = props;
    let priority = 0;
    const rule = (name: string, limit: number, aggregate: Partial<CfnWebACL.RateBasedStatementProperty>, scopeDown: CfnWebACL.StatementProperty): CfnWebACL.RuleProperty => ({
      name,
      priority: priority++,
      statement: { rateBasedStatement: { limit, evaluationWindowSec: 60, aggregateKeyType: 'IP', ...aggregate, scopeDownStatement: scopeDown } },
      action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'tooMany', responseHeaders: [{ name: 'Retry-After', value: '60' }] } } },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `scimlink-${stage}-${name}`, sampledRequestsEnabled: false },
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `scimlink-${stage}`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      customResponseBodies: { tooMany: { contentType: 'APPLICATION_JSON', content: TOO_MANY } },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `scimlink-${stage}`, sampledRequestsEnabled: false },
      rules: [
        rule(
          'scim-per-token',
          limits.tokenRatePerMinute,
          { aggregateKeyType: 'CUSTOM_KEYS', customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }] },
          pathContains('/scim/'),
        ),
        rule('scim-junk-per-ip', limits.junkRatePerMinute, {}, { andStatement: { statements: [pathContains('/scim/'), withoutScimlinkToken] } }),
        rule(
          'scim-per-path',
          limits.tokenRatePerMinute,
          { aggregateKeyType: 'CUSTOM_KEYS', customKeys: [{ uriPath: { textTransformations: [{ priority: 0, type: 'NONE' }] } }] },
          pathContains('/scim/'),
        ),
        rule('admin-console-per-ip', limits.adminRatePerMinute, {}, { orStatement: { statements: [pathContains('/admin/'), pathContains('/console/')] } }),
      ],
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
