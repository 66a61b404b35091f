/**
 * Named operators (issue 13, item 4): the /admin API accepts only the IAM principals the deployer named (the
 * stack's operator role and context `operatorPrincipalArns`). API Gateway's resource policy refuses everyone else;
 * the handlers check again (defence in depth), so a resource policy lost in a redeploy still leaves /admin closed.
 */
const ASSUMED_ROLE = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;
const ROLE = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/**
 * Whether the SigV4 caller API Gateway verified (`requestContext.identity.userArn`) is a named operator. IAM users
 * match exactly; a role is called through its sessions, `arn:aws:sts::<account>:assumed-role/<name>/<session>`,
 * which match the role ARN `arn:aws:iam::<account>:role/<path/><name>` by partition, account and name (STS leaves
 * the path out).
 */
export function isNamedOperator(callerArn: string, operators: readonly string[]): boolean {
  const session = ASSUMED_ROLE.exec(callerArn);
  return operators.some((op) => {
    if (op === callerArn) return true;
    const role = ROLE.exec(op);
    return session !== null && role !== null && role[1] === session[1] && role[2] === session[2] && role[3] === session[3];
  });
}

/** `OPERATOR_PRINCIPALS`: comma-separated ARNs (set by the stack). */
export const parseOperators = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
