import type { APIGatewayProxyEvent } from 'aws-lambda';

/** API Gateway's proxy event as our middlewares see it: the parsed body and the request log's fields ride along. */
export type ScimEvent = APIGatewayProxyEvent & { parsedBody?: unknown; logFields?: Record<string, unknown> };
