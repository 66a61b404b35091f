import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from './config';
import { ScimlinkStack } from './scimlink-stack';

/**
 * Adds scimlink to a CDK app: one stack per stage (`scimlink-<stage>`), checked by cdk-nag's AwsSolutions pack
 * so that an unsuppressed finding fails `cdk synth` and `cdk deploy`, not only the tests.
 */
export function addScimlink(app: App): ScimlinkStack {
  const config = configFromContext(app.node);
  const stack = new ScimlinkStack(app, `scimlink-${config.stage}`, {
    config,
    // Environment-agnostic unless the CLI knows the account (it sets these from the credentials at deploy time):
    // `cdk synth` works offline without credentials, and nothing here needs a lookup.
    env:
      process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION
        ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
        : undefined,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
