import { randomUUID } from 'node:crypto';
import type { Role } from '../lambdas/admin/principal';
import { bearerToken, generateToken, hashToken } from '../lambdas/auth/tokens';

export interface ConsoleSessionRequest {
  role: Role;
  /** Required for a partner or an account admin: the account it manages. */
  accountId?: string;
  name?: string;
}

/**
 * Local stand-in for the Cognito user pool behind the console: a session token maps to the claims an ID token of
 * that user would carry, in the form API Gateway's COGNITO_USER_POOLS authorizer hands them to the handler
 * (`cognito:groups` as a string). In memory, and only the tokens' hashes are kept, like the admin token.
 */
export class ConsoleSessions {
  private readonly claimsByHash = new Map<string, Record<string, string>>();

  issue(request: ConsoleSessionRequest): string {
    // Their own prefix: a console session is never confusable with (nor accepted as) a SCIM or admin token.
    return this.restore(generateToken().replace(/^scimlink_/, 'scimlinkconsole_'), request);
  }

  /** Accepts `token` again (npm start keeps the operator's console link across restarts of a data dir). */
  restore(token: string, { role, accountId, name }: ConsoleSessionRequest): string {
    if (role !== 'operator' && !accountId) throw new Error(`a ${role} console session needs the accountId it manages`);
    if (!token.startsWith('scimlinkconsole_')) throw new Error('not a console session token');
    this.claimsByHash.set(hashToken(token), {
      sub: randomUUID(),
      'cognito:username': name ?? (accountId ? `${role}@${accountId}` : role),
      'cognito:groups': role,
      ...(role !== 'operator' && accountId ? { 'custom:accountId': accountId } : {}),
    });
    return token;
  }

  /**
   * The claims of the session in an `Authorization` header — `Bearer <t>` or the raw token, as the REST API
   * authorizer accepts an ID token — or undefined (the gateway's 401).
   */
  claims(authorization: string | undefined): Record<string, string> | undefined {
    const token = bearerToken(authorization) ?? authorization?.trim();
    return token ? this.claimsByHash.get(hashToken(token)) : undefined;
  }
}
