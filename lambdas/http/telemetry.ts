import type middy from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { outcomeOf } from '../scim/error-rules';
import type { ScimEvent } from './scim-event';

/** The logger and metrics of a handler (built once per container; the local server and tests inject theirs). */
export interface Telemetry {
  logger: Logger;
  metrics: Metrics;
}

type Middleware = middy.MiddlewareObj<ScimEvent, APIGatewayProxyResult>;

/**
 * The outermost middleware of every API handler: Powertools' `injectLambdaContext` puts the Lambda context
 * (request id, function name and version, memory, cold start) into every log line of the invocation and, with
 * `resetKeys`, drops what the request appended (its `accountId`) when it ends; the `ColdStart` metric is written
 * on a container's first invocation.
 *
 * Why not Powertools' `logMetrics` middleware as well: it stores metrics during the request and flushes them in
 * its `after`, with other middlewares' awaits in between. In Lambda that is fine (one request per container at a
 * time), but the local server runs every request in one process, where two requests would flush into one EMF
 * line. `recordRequest` adds and flushes a request's metrics in one synchronous step instead.
 */
export function lambdaTelemetry(get: () => Telemetry): Middleware {
  // One Powertools middleware per Logger instance: the injected one can change between tests.
  const injected = new WeakMap<Logger, ReturnType<typeof injectLambdaContext>>();
  const forLogger = (logger: Logger) => {
    let m = injected.get(logger);
    if (!m) injected.set(logger, (m = injectLambdaContext(logger, { resetKeys: true })));
    return m;
  };
  return {
    before: async (request) => {
      if (!request.context) return; // a bare unit-test call without a context: nothing to inject
      const { logger, metrics } = get();
      await forLogger(logger).before?.(request as never);
      metrics.captureColdStartMetric(request.context.functionName);
    },
    after: async (request) => {
      await forLogger(get().logger).after?.(request as never);
    },
    onError: async (request) => {
      await forLogger(get().logger).onError?.(request as never);
    },
  };
}

/** What one request's metrics are made of. Nothing here may carry a value the client sent. */
export interface RequestMeasure {
  /** The route template, e.g. `GET /Users/{id}` (a fixed set: the API's routes). */
  operation: string;
  status: number;
  durationMs: number;
  /** For a 4xx/5xx: the rule code (`ruleOf`), never the detail text. */
  rule?: string;
  /** The SCIM error type (`invalidValue`, `uniqueness`, …), or the status for errors without one. */
  errorType?: string;
  /** Set once authenticated: a property of the EMF line (searchable in Logs Insights), never a dimension. */
  accountId?: string;
}

/**
 * One request → CloudWatch embedded metric format lines on stdout (no API call on the request path):
 * - `Requests` (Count) and `Latency` (Milliseconds) by `operation` × `outcome` (ok, rejected, unauthorized,
 *   throttled, unavailable, notImplemented, fault);
 * - for a 4xx other than 429: `Rejections` (Count) by `errorType` and, separately, by `rule`
 *   (`phoneNumbers:e164`, `uniqueness:phone`, …): 409s by kind are `rule=uniqueness:<kind>`.
 * Dimensions are low-cardinality by construction; the account id is a property. Added and flushed in one
 * synchronous step (see `lambdaTelemetry`).
 */
export function recordRequest(metrics: Metrics, m: RequestMeasure): void {
  const outcome = outcomeOf(m.status);
  metrics.addDimensions({ operation: m.operation, outcome });
  metrics.addMetric('Requests', MetricUnit.Count, 1);
  metrics.addMetric('Latency', MetricUnit.Milliseconds, m.durationMs);
  if (m.accountId) metrics.addMetadata('accountId', m.accountId);
  metrics.publishStoredMetrics();
  if (m.status >= 400 && m.status < 500 && m.status !== 429) {
    const rejection = metrics.singleMetric();
    rejection.addDimensions({ errorType: m.errorType ?? String(m.status) });
    rejection.addDimensions({ rule: m.rule ?? `http${m.status}` });
    if (m.accountId) rejection.addMetadata('accountId', m.accountId);
    rejection.addMetric('Rejections', MetricUnit.Count, 1); // a single metric is written as it is added
  }
}

/** `GET /scim/{tenant}/Users/{id}` → `GET /Users/{id}`: the operation dimension (the tenant segment says nothing). */
export function operationName(method: string | undefined, resource: string | undefined): string {
  return `${method ?? '?'} ${(resource ?? '?').replace(/^\/scim\/\{tenant\}/, '') || '/'}`;
}
