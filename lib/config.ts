import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Node } from 'constructs';
import { didYouMean } from '../cli/suggest';
import { DEFAULT_QUOTAS } from '../lambdas/runtime/quota-defaults';
import { MAX_QUOTA } from '../lambdas/admin/quotas';

/**
 * Everything an operator may change per deployment, read from CDK context (`cdk.json` or `-c key=value`).
 * Defaults are the safe production choice: data is retained and protected, throttling is on, logs are kept a year.
 * docs/operator-guide.md "Configuration" documents each key; keep the two in step.
 */
export interface ScimlinkConfig {
  /** Names the API stage and scopes the token secrets (`scimlink/<stage>/tokens/`); lower-case letters, digits, `-`. */
  stage: string;
  /** Custom domain (e.g. `scim.example.com`) with an ACM certificate in the stack's region. */
  domain?: { name: string; certificateArn: string; hostedZone?: { id: string; name: string } };
  /** The stage's default throttle (any method without its own), and each route group's per-method throttle. */
  throttling: { rateLimit: number; burstLimit: number };
  routeThrottling: Record<'scim' | 'admin' | 'console', { rateLimit: number; burstLimit: number }>;
  /** AWS WAF rate-based rules (lib/edge-protection.ts); `undefined` when `waf=false` or `webAclArn` is given. */
  edge?: { tokenRatePerMinute: number; junkRatePerMinute: number; adminRatePerMinute: number };
  /** Reserved concurrency of each admin and console function (0: none), so SCIM traffic cannot starve them. */
  reservedConcurrency: number;
  /** IAM role or user ARNs allowed on /admin besides the stack's operator role (context `operatorPrincipalArns`). */
  operatorPrincipalArns: string[];
  /** Create the account-level API Gateway CloudWatch role (retained on delete) that stage logging needs. */
  apiGatewayCloudWatchRole: boolean;
  logRetention: RetentionDays;
  /** Table and log groups when the stack is deleted (or a resource replaced). */
  removalPolicy: RemovalPolicy;
  tableDeletionProtection: boolean;
  alarmEmail?: string;
  /** ServiceProviderConfig's documentationUri (RFC 7643 §5, optional): where this deployment documents itself. */
  documentationUrl?: string;
  memorySize: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** An existing WAFv2 web ACL (REGIONAL scope) to associate with the API stage. */
  webAclArn?: string;
  /**
   * Prefix of the console's Cognito hosted-UI domain, `https://<prefix>.auth.<region>.amazoncognito.com`; unique
   * per region across all AWS accounts. Unset: `scimlink-<stage>-<account id>` (lib/console.ts; the account id is
   * a deploy-time value in an environment-agnostic synth).
   */
  cognitoDomainPrefix?: string;
  /** Default quotas (issue 14, item 5); an operator overrides them per account (`scimlink quotas set`). */
  quotas: { maxUsersPerAccount: number; maxAccountsPerPartner: number };
}

export const DEFAULTS = {
  stage: 'prod',
  // Entra sends one request at a time per provisioning job (a few per second at most, even in an initial cycle);
  // 100 rps with bursts of 200 leaves room for many tenants' cycles at once while capping what a runaway or
  // hostile client can cost in Lambda and DynamoDB.
  throttlingRateLimit: 100,
  throttlingBurstLimit: 200,
  logRetentionDays: RetentionDays.ONE_YEAR,
  removalPolicy: 'retain',
  tableDeletionProtection: true,
  memorySize: 1024,
  logLevel: 'INFO',
  // Per-method throttles, one bucket per route method (issue 13): a flood on one SCIM method cannot take the
  // admin API or the console down with it. SCIM: Entra runs a job at ~25 requests/s at most (one request at a
  // time, a few per second in practice); 200/s per method carries 8 tenants' full-speed cycles at once.
  scimRateLimit: 200,
  scimBurstLimit: 400,
  adminRateLimit: 20,
  adminBurstLimit: 40,
  consoleRateLimit: 50,
  consoleBurstLimit: 100,
  // WAF, per 60 s: one token 3,000 (50/s, twice Entra's 25/s); junk without a scimlink token 300 per address;
  // admin and console 600 per address.
  wafTokenRatePerMinute: 3000,
  wafJunkRatePerMinute: 300,
  wafAdminRatePerMinute: 600,
  // Each admin/console function keeps 2 of the account's concurrency for itself (~30 in all).
  reservedConcurrency: 2,
} as const;

const OPERATOR_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

const REMOVAL_POLICIES: Record<string, RemovalPolicy> = {
  retain: RemovalPolicy.RETAIN,
  destroy: RemovalPolicy.DESTROY,
};

/** Reads and validates the context; a wrong value fails the synth with a message naming the key. */
export function configFromContext(node: Node): ScimlinkConfig {
  // Every key this function reads; any other key the operator set is a typo (checked at the end).
  const read = new Set<string>();
  const str = (key: string): string | undefined => {
    read.add(key);
    const v: unknown = node.tryGetContext(key);
    if (v === undefined || v === null || v === '') return undefined;
    return String(v).trim();
  };
  const num = (key: string, fallback: number, min: number, max: number): number => {
    const raw = str(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`Context '${key}' must be an integer from ${min} to ${max}, got '${raw}'.`);
    }
    return n;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const raw = str(key);
    if (raw === undefined) return fallback;
    if (/^(true|yes|1)$/i.test(raw)) return true;
    if (/^(false|no|0)$/i.test(raw)) return false;
    throw new Error(`Context '${key}' must be true or false, got '${raw}'.`);
  };

  const stage = str('stage') ?? DEFAULTS.stage;
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`Context 'stage' must be 1-20 lower-case letters, digits or '-', starting with a letter; got '${stage}'.`);
  }

  const domainName = str('domainName');
  const certificateArn = str('certificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error("Context 'domainName' and 'certificateArn' go together: set both or neither.");
  }
  const hostedZoneId = str('hostedZoneId');
  const hostedZoneName = str('hostedZoneName');
  if ((hostedZoneId === undefined) !== (hostedZoneName === undefined)) {
    throw new Error("Context 'hostedZoneId' and 'hostedZoneName' go together: set both or neither.");
  }
  if (hostedZoneId !== undefined && domainName === undefined) {
    throw new Error("Context 'hostedZoneId' needs 'domainName' and 'certificateArn'.");
  }

  const retentionDays = num('logRetentionDays', DEFAULTS.logRetentionDays, 1, 9999);
  if (!Object.values(RetentionDays).includes(retentionDays)) {
    const allowed = Object.values(RetentionDays).filter((v) => typeof v === 'number');
    throw new Error(`Context 'logRetentionDays' must be one of ${allowed.join(', ')}; got ${retentionDays}.`);
  }

  const removal = (str('removalPolicy') ?? DEFAULTS.removalPolicy).toLowerCase();
  const removalPolicy = REMOVAL_POLICIES[removal];
  if (removalPolicy === undefined) {
    throw new Error(`Context 'removalPolicy' must be 'retain' or 'destroy', got '${removal}'.`);
  }

  const logLevel = (str('logLevel') ?? DEFAULTS.logLevel).toUpperCase();
  if (!['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(logLevel)) {
    throw new Error(`Context 'logLevel' must be DEBUG, INFO, WARN or ERROR, got '${logLevel}'.`);
  }

  const alarmEmail = str('alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`Context 'alarmEmail' is not an e-mail address: '${alarmEmail}'.`);
  }

  const documentationUrl = str('documentationUrl');
  if (documentationUrl !== undefined && !/^https:\/\/[^\s/?#]+[^\s]*$/.test(documentationUrl)) {
    throw new Error(`Context 'documentationUrl' must be an https:// URL, got '${documentationUrl}'.`);
  }

  const webAclArn = str('webAclArn');
  if (webAclArn !== undefined && !/^arn:[\w-]+:wafv2:[\w-]+:\d{12}:regional\/webacl\//.test(webAclArn)) {
    throw new Error(`Context 'webAclArn' must be a REGIONAL WAFv2 web ACL ARN, got '${webAclArn}'.`);
  }

  const cognitoDomainPrefix = str('cognitoDomainPrefix');
  if (cognitoDomainPrefix !== undefined) {
    // Cognito's rules for a prefix domain: a DNS label, without the words it reserves.
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(cognitoDomainPrefix) || /aws|amazon|cognito/.test(cognitoDomainPrefix)) {
      throw new Error(
        `Context 'cognitoDomainPrefix' must be 1-63 lower-case letters, digits or '-' (not at either end) without 'aws', ` +
          `'amazon' or 'cognito'; got '${cognitoDomainPrefix}'.`,
      );
    }
  }

  const operatorPrincipalArns = (str('operatorPrincipalArns') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  for (const arn of operatorPrincipalArns) {
    if (!OPERATOR_ARN.test(arn)) throw new Error(`Context 'operatorPrincipalArns' takes IAM role or user ARNs (comma-separated), got '${arn}'.`);
  }
  const waf = bool('waf', true) && webAclArn === undefined;

  const burstLimit = num('throttlingBurstLimit', DEFAULTS.throttlingBurstLimit, 1, 5000);
  const rateLimit = num('throttlingRateLimit', DEFAULTS.throttlingRateLimit, 1, 10000);

  const config: ScimlinkConfig = {
    stage,
    domain:
      domainName && certificateArn
        ? {
            name: domainName,
            certificateArn,
            hostedZone: hostedZoneId && hostedZoneName ? { id: hostedZoneId, name: hostedZoneName } : undefined,
          }
        : undefined,
    throttling: { rateLimit, burstLimit },
    routeThrottling: {
      scim: { rateLimit: num('scimRateLimit', DEFAULTS.scimRateLimit, 1, 10000), burstLimit: num('scimBurstLimit', DEFAULTS.scimBurstLimit, 1, 5000) },
      admin: { rateLimit: num('adminRateLimit', DEFAULTS.adminRateLimit, 1, 10000), burstLimit: num('adminBurstLimit', DEFAULTS.adminBurstLimit, 1, 5000) },
      console: {
        rateLimit: num('consoleRateLimit', DEFAULTS.consoleRateLimit, 1, 10000),
        burstLimit: num('consoleBurstLimit', DEFAULTS.consoleBurstLimit, 1, 5000),
      },
    },
    edge: waf
      ? {
          // WAF's rate-based rules take 10 to 2,000,000,000 per window.
          tokenRatePerMinute: num('wafTokenRatePerMinute', DEFAULTS.wafTokenRatePerMinute, 10, 2_000_000_000),
          junkRatePerMinute: num('wafJunkRatePerMinute', DEFAULTS.wafJunkRatePerMinute, 10, 2_000_000_000),
          adminRatePerMinute: num('wafAdminRatePerMinute', DEFAULTS.wafAdminRatePerMinute, 10, 2_000_000_000),
        }
      : undefined,
    reservedConcurrency: num('reservedConcurrency', DEFAULTS.reservedConcurrency, 0, 100),
    operatorPrincipalArns,
    apiGatewayCloudWatchRole: bool('apiGatewayCloudWatchRole', true),
    logRetention: retentionDays as RetentionDays,
    removalPolicy,
    tableDeletionProtection: bool('tableDeletionProtection', DEFAULTS.tableDeletionProtection),
    alarmEmail,
    documentationUrl,
    // 1024 MB: a cold start (bundle parse + SDK init) is CPU-bound and Lambda CPU scales with memory; Entra's
    // bursty cycles make cold starts a large share of requests, and at these durations the cost stays cents.
    memorySize: num('memorySize', DEFAULTS.memorySize, 128, 10240),
    logLevel: logLevel as ScimlinkConfig['logLevel'],
    webAclArn,
    cognitoDomainPrefix,
    quotas: {
      maxUsersPerAccount: num('maxUsersPerAccount', DEFAULT_QUOTAS.maxUsersPerAccount, 1, MAX_QUOTA),
      maxAccountsPerPartner: num('maxAccountsPerPartner', DEFAULT_QUOTAS.maxAccountsPerPartner, 1, MAX_QUOTA),
    },
  };
  // Last, once every key has been read.
  rejectUnknownKeys(node, read);
  return config;
}

/**
 * `-c alarmEmial=…` must not deploy a stack without its alarm subscription: a context key nobody reads is refused,
 * naming the nearest known key. CDK's own keys (feature flags `@aws-cdk/…`, `aws:cdk:…`, `cdk-…`) are not ours.
 */
function rejectUnknownKeys(node: Node, known: Set<string>): void {
  const ours = (key: string) => !key.startsWith('@') && !key.includes(':') && !key.startsWith('cdk-') && !key.startsWith('aws-cdk');
  for (const key of Object.keys(node.getAllContext())) {
    if (ours(key) && !known.has(key)) {
      throw new Error(`Unknown context key '${key}'${didYouMean(key, [...known], (k) => `'${k}'`)}; the keys are listed in docs/operator-guide.md "Configuration".`);
    }
  }
}
