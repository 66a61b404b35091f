import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FunctionSpec } from './lambda-runtime';
import { SynthesizedStack } from './template';

/**
 * Every `AWS::Lambda::Function` of the template as the Lambda service would run it: the asset folder the
 * template's metadata names, the handler string, runtime, memory, timeout, environment and role, resolved.
 */
export function functionSpecs(stack: SynthesizedStack): FunctionSpec[] {
  return stack.ofType('AWS::Lambda::Function').map(([logicalId, r]) => {
    const p = r.Properties ?? {};
    const assetPath = r.Metadata?.['aws:asset:path'] as string | undefined;
    if (!assetPath) throw new Error(`${logicalId}: no aws:asset:path metadata (inline code is not emulated)`);
    const codeDir = path.resolve(stack.cdkOut, assetPath);
    if (!fs.statSync(codeDir).isDirectory()) throw new Error(`${logicalId}: asset ${codeDir} is not a folder`);
    const roleLogicalId = SynthesizedStack.target(p.Role);
    if (!roleLogicalId) throw new Error(`${logicalId}: its role is not a resource of the stack`);
    const logGroup = SynthesizedStack.target(p.LoggingConfig?.LogGroup);
    const name = stack.resolve({ Ref: logicalId }) as string;
    return {
      logicalId,
      name,
      arn: stack.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }) as string,
      handler: p.Handler as string,
      runtime: p.Runtime as string,
      // CloudFormation's defaults when the template leaves them out.
      memorySize: Number(p.MemorySize ?? 128),
      timeoutSeconds: Number(p.Timeout ?? 3),
      environment: (stack.resolve(p.Environment?.Variables ?? {}) as Record<string, string>) ?? {},
      codeDir,
      roleLogicalId,
      roleArn: stack.resolve(p.Role) as string,
      logGroupName: logGroup ? (stack.resolve({ Ref: logGroup }) as string) : `/aws/lambda/${name}`,
    };
  });
}

/** `nodejs24.x` → 24. */
export function runtimeMajor(runtime: string): number {
  const m = /^nodejs(\d+)\.x$/.exec(runtime);
  if (!m) throw new Error(`runtime ${runtime} is not a Node.js runtime`);
  return Number(m[1]);
}
