import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { CognitoUserPoolsAuthorizer, IdentitySource } from 'aws-cdk-lib/aws-apigateway';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { buildConsoleSync } from '../console/build';
import { ROLES, Role } from '../lambdas/admin/principal';
import { ScimlinkConfig } from './config';

export interface ScimlinkConsoleProps {
  config: ScimlinkConfig;
  /**
   * The console page, with its trailing slash (`<ApiUrl>/console/`): the OAuth callback and sign-out URL. Built
   * from the API id (or the custom domain), never from the deployment stage, whose URL depends on every method.
   */
  consoleUrl: string;
}

/**
 * The files the console-assets function ships next to its index.js: the built console (HTML, minified JS and
 * CSS) as one JSON file that lambdas/console-assets.ts reads at cold start. Built at synth, so the deployed
 * console is always the one in this checkout, and the function needs no S3 bucket.
 */
export function consoleBundleFiles(): Record<string, string> {
  return { 'console-assets.json': JSON.stringify(buildConsoleSync()) };
}

const GROUP_DESCRIPTIONS: Record<Role, string> = {
  operator: 'Runs scimlink: every account, key generation and verify',
  partner: 'A partner account (custom:accountId) and the customer accounts under it',
  'account-admin': 'One account (custom:accountId) only',
};

/**
 * Who may sign in to the browser console: a Cognito user pool with the hosted UI (authorization code + PKCE for
 * the console's public client) and the API Gateway authorizer that checks its ID tokens on `/console/api`.
 * Operators create the users (no self sign-up) and put each in one group — the role — and, for partners and
 * account admins, set `custom:accountId`; the handlers enforce the role (lambdas/admin/access.ts).
 */
export class ScimlinkConsole extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly authorizer: CognitoUserPoolsAuthorizer;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`, the hosted UI the console sends people to. */
  readonly hostedUiUrl: string;
  readonly consoleUrl: string;

  constructor(scope: Construct, id: string, props: ScimlinkConsoleProps) {
    super(scope, id);
    const { config, consoleUrl } = props;
    this.consoleUrl = consoleUrl;
    const retain = config.removalPolicy === RemovalPolicy.RETAIN;

    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `scimlink-${config.stage}-console`,
      // Console users are the people who may hand out SCIM tokens: an operator creates each one.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        // The account a partner or account admin manages. Mutable so an operator can move a user to another
        // account (admin-update-user-attributes) without recreating it; the console's client cannot write it.
        accountId: new StringAttribute({ mutable: true, minLen: 1, maxLen: 128 }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Required, TOTP only: a console user can generate an account's Secret Token (write access to that
      // customer's directory) and delete users, so a leaked password alone must not be enough. No SMS: it needs an
      // SNS role and spend limit, and SIM swapping defeats it. The hosted UI enrols the authenticator app at the
      // first sign-in.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Essentials (the default for new pools, free up to 10,000 monthly active users): hosted UI, TOTP, groups.
      featurePlan: FeaturePlan.ESSENTIALS,
      userInvitation: {
        emailSubject: `Your scimlink ${config.stage} console account`,
        emailBody:
          `An operator created a scimlink console account for you.<br>User name: {username}<br>Temporary password: {####}<br>` +
          `Sign in at ${consoleUrl} within 3 days: you will choose a new password and set up an authenticator app.`,
      },
      // The users and their roles are operators' work, not something to lose with the stack; a throwaway stage
      // (removalPolicy=destroy) gets neither, so `cdk destroy` removes it.
      removalPolicy: config.removalPolicy,
      deletionProtection: retain,
    });

    // One group per role; precedence mirrors lambdas/admin/principal.ts (a user in several gets the strongest).
    ROLES.forEach((role, precedence) => {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: GROUP_DESCRIPTIONS[role], precedence });
    });

    const prefix = config.cognitoDomainPrefix ?? `scimlink-${config.stage}-${Aws.ACCOUNT_ID}`;
    this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: prefix } });
    this.hostedUiUrl = this.domain.baseUrl();

    this.client = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'scimlink-console',
      // A browser app cannot keep a secret: a public client. The console sends a PKCE challenge with every
      // sign-in, and Cognito then redeems the code only with its verifier, so an intercepted code is useless.
      generateSecret: false,
      // Password sign-in through SRP only (plus refresh): no API flow that takes the password itself, no admin
      // or custom flow. People use the hosted UI; these are what an app client may call besides it.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      // The ID token is what the API accepts, and what carries the role (cognito:groups) and custom:accountId: 15
      // minutes (issue 13), so a removed group or a moved account takes effect within that. The console then
      // gets a fresh token from the hosted UI, which signs a person with a live session straight back in; the
      // refresh token lasts a working day and is revoked on sign-out.
      idTokenValidity: Duration.minutes(15),
      accessTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(8),
      enableTokenRevocation: true,
      // custom:accountId is read (it is in the ID token, the handlers read the account from it) but never written:
      // with write access a user could call UpdateUserAttributes with their own access token and move themselves
      // to any account. Only `name` is writable — an empty list would make Cognito allow every attribute.
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('accountId'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    this.authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      authorizerName: `scimlink-${config.stage}-console`,
      cognitoUserPools: [this.userPool],
      // The console sends the ID token as is; its claims (groups, custom:accountId, email) reach the handler.
      identitySource: IdentitySource.header('Authorization'),
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection needs the Plus plan, billed for every monthly active user with no free tier. The pool has no ' +
        'self sign-up (operators create every user), a 12-character password policy and required TOTP, which already ' +
        'defeats the credential stuffing that compromised-credential detection addresses.',
    });
  }
}
