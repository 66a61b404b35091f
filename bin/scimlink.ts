#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addScimlink } from '../lib/app';

// The CDK app `cdk synth` / `cdk deploy` run (cdk.json). Configuration comes from context: see docs/operator-guide.md "Configuration".
try {
  addScimlink(new App());
} catch (e) {
  // A wrong context value is the operator's mistake, not a crash: one line naming the key, no stack trace.
  process.stderr.write(`scimlink: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
