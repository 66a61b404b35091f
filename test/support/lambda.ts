import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/** What a Lambda handler module exports, as the unit tests call it. */
export type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** The parts of a Lambda context the handlers read (the logger takes the function name and request id). */
export const lambdaContext = (functionName: string): Context =>
  ({ functionName, awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 }) as unknown as Context;

/** Invoke a handler the way Lambda does, with a context named `functionName`. */
export const invoker =
  (functionName: string) =>
  (handler: Handler, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> =>
    handler(event, lambdaContext(functionName));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
export const json = (res: APIGatewayProxyResult): any => JSON.parse(res.body);
