import { Stack } from 'aws-cdk-lib';
import { CfnInsightRule } from 'aws-cdk-lib/aws-cloudwatch';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { REQUEST_LOG_MESSAGE } from '../lambdas/log/provisioning-log';

export interface ScimlinkInsightsProps {
  /** The SCIM functions' log groups: one request line each (lambdas/http/middleware.ts `requestLog`). */
  scimLogGroups: ILogGroup[];
  /** The API access log (lib/api.ts): one line per request, including the ones no function answered. */
  accessLogs: ILogGroup;
}

type Filter = Record<string, unknown>;

/**
 * Per-tenant views without per-tenant metrics: CloudWatch Contributor Insights rules over the request log lines
 * (issue #17). A metric dimension per account would cost a custom metric per tenant and grow without bound; a
 * rule costs the same whatever the number of tenants and ranks the top contributors. The lines carry `accountId`
 * only once a request is authenticated, so an unauthenticated flood cannot put a tenant at the top; the access
 * log rule ranks the callers that are refused instead.
 */
export class ScimlinkInsights extends Construct {
  /** Rule name by purpose (the dashboard shows them; `aws cloudwatch get-insight-rule-report --rule-name …`). */
  readonly ruleNames: { tenantsByRequests: string; tenantsByErrors: string; tenantRules: string; refusedCallers: string };

  constructor(scope: Construct, id: string, props: ScimlinkInsightsProps) {
    super(scope, id);
    const prefix = Stack.of(this).stackName;
    const scimLogs = props.scimLogGroups.map((g) => g.logGroupName);
    const isRequestLine: Filter[] = [
      { Match: '$.message', In: [REQUEST_LOG_MESSAGE] },
      { Match: '$.accountId', IsPresent: true },
    ];
    const rule = (name: string, logGroupNames: string[], keys: string[], filters: Filter[]) => {
      const ruleName = `${prefix}-${name}`;
      new CfnInsightRule(this, name, {
        ruleName,
        ruleState: 'ENABLED',
        ruleBody: Stack.of(this).toJsonString({
          Schema: { Name: 'CloudWatchLogRule', Version: 1 },
          LogGroupNames: logGroupNames,
          LogFormat: 'JSON',
          Contribution: { Keys: keys, Filters: filters },
          AggregateOn: 'Count',
        }),
      });
      return ruleName;
    };
    this.ruleNames = {
      // Which tenants send the most: an initial cycle, a runaway job, a tenant worth a quota talk.
      tenantsByRequests: rule('TopTenantsByRequests', scimLogs, ['$.accountId'], isRequestLine),
      // Which tenants' Entra is failing: every 4xx/5xx answered to an authenticated request.
      tenantsByErrors: rule('TopTenantsByErrors', scimLogs, ['$.accountId'], [...isRequestLine, { Match: '$.status', GreaterThan: 399 }]),
      // …and on what: (account, rule code) pairs, e.g. ("7f3a…", "phoneNumbers:e164").
      tenantRules: rule('TopTenantRejectionRules', scimLogs, ['$.accountId', '$.rule'], [...isRequestLine, { Match: '$.status', GreaterThan: 399 }]),
      // Who is being refused at the door (401/403, any route), by source IP and route template.
      refusedCallers: rule('TopRefusedCallers', [props.accessLogs.logGroupName], ['$.ip', '$.resourcePath'], [{ Match: '$.status', In: [401, 403] }]),
    };
  }
}
