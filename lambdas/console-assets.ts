import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ConsoleAssets, ConsoleConfig, serveConsoleFile } from './console/static-files';

let assets: ConsoleAssets | undefined;
let config: ConsoleConfig | undefined;

/** `npm start` and the tests hand over the files they just built (and say sign-in is local). */
export function setConsoleAssets(built: ConsoleAssets | undefined, local: ConsoleConfig = { auth: 'local' }): void {
  assets = built;
  config = built ? local : undefined;
}

/**
 * GET /console, /console/{file}: the browser console's static files (no auth, no AWS call). Deployed, the CDK
 * app writes console-assets.json next to this bundle and passes the Cognito hosted UI's domain and app client id.
 */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  if (!assets || !config) {
    try {
      config = cognitoConfig();
      assets = JSON.parse(readFileSync(join(__dirname, 'console-assets.json'), 'utf8')) as ConsoleAssets;
    } catch (e) {
      // A packaging or configuration bug of the stack: logged, and the page says so plainly.
      console.error('console assets unavailable', e);
      return { statusCode: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, body: 'The console is not installed correctly (logged).' };
    }
  }
  return serveConsoleFile(event, assets, config);
};

function cognitoConfig(): ConsoleConfig {
  const domain = process.env.COGNITO_DOMAIN;
  const clientId = process.env.COGNITO_CLIENT_ID;
  if (!domain || !clientId) throw new Error('COGNITO_DOMAIN and COGNITO_CLIENT_ID must be set for the deployed console');
  return { auth: 'cognito', domain, clientId };
}
