import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The handlers' metrics: CloudWatch embedded metric format on stdout, in the namespace the stack sets
 * (`POWERTOOLS_METRICS_NAMESPACE` = `scimlink/<stack>`, so stages never mix). `service` is the one default
 * dimension. `POWERTOOLS_METRICS_DISABLED=true` keeps them off stdout (npm start and the tests do).
 */
export const buildMetrics = () => new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'scimlink', serviceName: 'scimlink' });
