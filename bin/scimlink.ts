#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addScimlink } from '../lib/app';

// The CDK app `cdk synth` / `cdk deploy` run (cdk.json). Configuration comes from context: see docs/operator-guide.md "Configuration".
addScimlink(new App());
