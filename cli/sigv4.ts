/**
 * SigV4 signing of admin requests: deployed, API Gateway authorises the admin routes with AWS IAM, so the CLI
 * signs with the caller's own AWS identity (no shared admin secret exists in the cloud).
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { UsageError } from './errors';

export interface SigningOptions {
  /** `--region`; wins over everything else. */
  region?: string;
  /** `--profile`; otherwise AWS_PROFILE from env, as the SDK does. */
  profile?: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Region: the flag, else the one in an `…execute-api.<region>.amazonaws.com` host (that is where the API lives,
 * whatever AWS_REGION says for other tools), else AWS_REGION / AWS_DEFAULT_REGION (custom domains carry none).
 */
export function resolveRegion(url: URL, options: SigningOptions): string {
  const fromHost = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/i.exec(url.hostname)?.[1];
  const region = options.region ?? fromHost ?? options.env.AWS_REGION ?? options.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new UsageError(
      `cannot tell the AWS region of ${url.host} to sign the request; pass --region or set AWS_REGION (or pass --token for a local server)`,
    );
  }
  return region;
}

/**
 * Static keys from the given env when present (so an in-process caller's env is honoured, not only
 * process.env); otherwise the SDK's default chain (env, SSO, ini profiles, process, container/instance roles).
 */
export async function credentialProvider(options: SigningOptions): Promise<AwsCredentialIdentityProvider> {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = options.env;
  if (!options.profile && AWS_ACCESS_KEY_ID && AWS_SECRET_ACCESS_KEY) {
    const identity: AwsCredentialIdentity = {
      accessKeyId: AWS_ACCESS_KEY_ID,
      secretAccessKey: AWS_SECRET_ACCESS_KEY,
      ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
    };
    return async () => identity;
  }
  // Loaded lazily: the provider chain is heavy, and local use with --token never needs it.
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const profile = options.profile ?? options.env.AWS_PROFILE;
  return fromNodeProviderChain(profile ? { profile } : {});
}

export interface UnsignedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** The headers to send (Authorization, X-Amz-Date, X-Amz-Security-Token when temporary credentials are used). */
export async function signRequest(request: UnsignedRequest, options: SigningOptions): Promise<Record<string, string>> {
  const region = resolveRegion(request.url, options);
  const credentials = await credentialProvider(options);
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: Hash.bind(null, 'sha256') });
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of request.url.searchParams) {
    const previous = query[key];
    query[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  const signed = await signer.sign({
    method: request.method,
    protocol: request.url.protocol,
    hostname: request.url.hostname,
    ...(request.url.port ? { port: Number(request.url.port) } : {}),
    path: request.url.pathname,
    query,
    // `host` must be signed exactly as fetch will send it (hostname plus any non-default port).
    headers: { ...request.headers, host: request.url.host },
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    // fetch derives Host from the URL itself; sending it twice is at best ignored.
    if (name.toLowerCase() !== 'host') headers[name] = String(value);
  }
  return headers;
}
