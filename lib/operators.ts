import { AccountRootPrincipal, AnyPrincipal, Effect, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface ScimlinkOperatorsProps {
  stage: string;
  /** IAM role or user ARNs the deployer names as operators (context `operatorPrincipalArns`). */
  named: string[];
}

/**
 * Who may call /admin (issue 13, item 4): the role this stack creates (`OperatorRole`, assumable by principals the
 * account's own IAM policies allow to) and the principals the deployer names — nobody else, whatever
 * `execute-api:Invoke` permission an IAM policy in the account grants. Enforced twice: by the API's resource policy
 * (an explicit Deny, which no identity policy can override) and by the admin handlers (`OPERATOR_PRINCIPALS`).
 */
export class ScimlinkOperators extends Construct {
  readonly role: Role;
  /** Every operator principal ARN (the role's is a deploy-time token). */
  readonly principalArns: string[];

  constructor(scope: Construct, id: string, props: ScimlinkOperatorsProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      description: `Operators of scimlink ${props.stage}: may call its /admin API (the scimlink CLI signs as this role)`,
      assumedBy: new AccountRootPrincipal(),
    });
    this.principalArns = [this.role.roleArn, ...props.named];
  }

  /**
   * The REST API's resource policy: anyone may reach the SCIM and console routes (they authenticate Entra's token and
   * the Cognito ID token themselves), only operators the /admin routes.
   */
  resourcePolicy(): PolicyDocument {
    return new PolicyDocument({
      statements: [
        new PolicyStatement({
          effect: Effect.ALLOW,
          principals: [new AnyPrincipal()],
          actions: ['execute-api:Invoke'],
          resources: ['execute-api:/*'],
        }),
        new PolicyStatement({
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['execute-api:Invoke'],
          resources: ['execute-api:/*/*/admin/*', 'execute-api:/*/*/admin'],
          conditions: { StringNotEquals: { 'aws:PrincipalArn': this.principalArns } },
        }),
      ],
    });
  }
}

