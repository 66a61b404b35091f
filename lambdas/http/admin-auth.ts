import { bearerToken, tokenMatches } from '../auth/tokens';
import { Principal, principalFromClaims } from '../admin/principal';
import { isNamedOperator } from '../admin/operators';
import { ScimError } from '../scim/errors';
import type { AdminAuth } from '../runtime/admin-deps';
import type { ScimEvent } from './middleware';

/**
 * Who sent an admin request. Console routes (/console/api) come with the Cognito ID-token claims the gateway's
 * user-pool authorizer verified (locally: the adapter's console sessions); the /admin routes come through AWS IAM
 * when deployed, or with the local admin token — both the operator. Claims are only ever set by the gateway (or
 * the local adapter), never by the caller, so they are read first.
 */
export function adminPrincipal(auth: AdminAuth, event: ScimEvent, headers: Record<string, string>): Principal {
  const claims = (event.requestContext?.authorizer as { claims?: unknown } | null | undefined)?.claims;
  if (claims !== null && typeof claims === 'object') return principalFromClaims(claims as Record<string, unknown>);
  if (auth.mode === 'iam') {
    // API Gateway (AWS_IAM) verified the SigV4 signature and the caller's permission before invoking us; a
    // request without an IAM identity did not come through that route.
    const identity = event.requestContext?.identity as { userArn?: string | null; caller?: string | null } | undefined;
    const name = identity?.userArn || identity?.caller;
    if (!name) throw new ScimError(403, 'admin routes require AWS IAM (SigV4) authorisation');
    // Defence in depth behind the API's resource policy: only the operators the deployer named (issue 13).
    if (!identity?.userArn || !isNamedOperator(identity.userArn, auth.operators)) {
      throw new ScimError(403, `${name} is not a named operator of this stage: assume the stack's OperatorRoleArn, or have the deployer add it to operatorPrincipalArns`);
    }
    return { role: 'operator', name };
  }
  const token = bearerToken(headers['authorization']);
  if (!token || !tokenMatches(token, auth.hash)) {
    throw new ScimError(401, 'admin token missing or wrong: use the Admin Token printed by npm start (SCIMLINK_ADMIN_TOKEN)');
  }
  return { role: 'operator', name: 'local admin token' };
}
