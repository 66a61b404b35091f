import * as fs from 'node:fs';
import * as os from 'node:os';
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

const props = (r: { Properties?: Record<string, unknown> }) => (r.Properties ?? {}) as Record<string, any>;

export interface DeployedMethod {
  /** AuthorizationType: NONE, AWS_IAM or COGNITO_USER_POOLS. */
  auth: string;
  /** Logical id of the authorizer (COGNITO_USER_POOLS), else undefined. */
  authorizer?: string;
  /** Logical id of the Lambda function it invokes. */
  fn: string;
  integration: string;
}

/** `METHOD /path` → how it is authorised and which function it invokes, rebuilt from the template's Resource tree. */
export function deployedMethods(s: Synthesized): Map<string, DeployedMethod> {
  const paths = new Map<string, string>();
  const resolve = (id: string): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const p = props(s.resources[id]!);
    const parent = p.ParentId as { Ref?: string; 'Fn::GetAtt'?: unknown };
    const full = `${parent.Ref ? resolve(parent.Ref) : ''}/${p.PathPart as string}`;
    paths.set(id, full);
    return full;
  };
  const out = new Map<string, DeployedMethod>();
  for (const m of Object.values(s.resources).filter((r) => r.Type === 'AWS::ApiGateway::Method')) {
    const p = props(m);
    const resourceId = (p.ResourceId as { Ref: string }).Ref;
    const uri = JSON.stringify(p.Integration.Uri);
    const fn = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(uri)?.[1] ?? '?';
    const method: DeployedMethod = { auth: p.AuthorizationType as string, fn, integration: p.Integration.Type as string };
    if (p.AuthorizerId !== undefined) method.authorizer = (p.AuthorizerId as { Ref: string }).Ref;
    out.set(`${p.HttpMethod as string} ${resolve(resourceId)}`, method);
  }
  return out;
}

/** The folder of a function's bundle in the synth output (named after the asset hash, which is also its S3 key). */
export function assetDir(s: Synthesized, outdir: string, fnLogicalId: string): string {
  const hash = (props(s.resources[fnLogicalId]!).Code.S3Key as string).replace(/\.zip$/, '');
  return path.join(outdir, `asset.${hash}`);
}

/**
 * One bundled synthesis of the real app per test file (jest loads each file on its own), in a temporary folder
 * removed afterwards. Call at the top of a describe-less test file; read `.s` / `.outdir` inside tests.
 */
export function synthesizedApp(prefix: string): { readonly s: Synthesized; readonly outdir: string } {
  const state = {} as { s: Synthesized; outdir: string };
  beforeAll(() => {
    state.outdir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    state.s = synthesize({}, { outdir: state.outdir });
  }, 150_000);
  afterAll(() => {
    fs.rmSync(state.outdir, { recursive: true, force: true });
  });
  return state;
}
