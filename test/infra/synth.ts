import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addScimlink } from '../../lib/app';
import { ScimlinkStack } from '../../lib/scimlink-stack';

const REPO_ROOT = path.join(__dirname, '..', '..');
/** The feature flags and settings of cdk.json, so the tests see the template `cdk synth` produces. */
const CDK_JSON_CONTEXT = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

export interface Synthesized {
  app: App;
  stack: ScimlinkStack;
  template: Template;
  /** Resources of the template by logical id. */
  resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
  logicalId: (c: { node: { defaultChild?: unknown } } | CfnElement) => string;
}

/**
 * Builds the app exactly as bin/scimlink.ts does (same context, same cdk-nag plugin). `bundle: false` skips
 * esbuild (CDK's `aws:cdk:bundling-stacks`), for tests about configuration rather than code.
 */
export function synthesize(context: Record<string, unknown> = {}, opts: { bundle?: boolean; outdir?: string } = {}): Synthesized {
  const app = new App({
    outdir: opts.outdir,
    context: {
      ...CDK_JSON_CONTEXT,
      ...(opts.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...context,
    },
  });
  const stack = addScimlink(app);
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Synthesized['resources'];
  const logicalId = (c: { node: { defaultChild?: unknown } } | CfnElement) =>
    Stack.of(stack).getLogicalId((c instanceof CfnElement ? c : c.node.defaultChild) as CfnElement);
  return { app, stack, template, resources, logicalId };
}
