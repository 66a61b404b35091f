/**
 * The synthesized CloudFormation template as the emulators see it: resources by type, and intrinsic functions
 * resolved the way CloudFormation would resolve them in one fixed, fake deployment (account, region, physical
 * names). Everything the harness does is driven from here, never from lib/ or lambdas/routes.ts, so a route, a
 * function or a grant added to the stack is picked up without a change to the harness.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const PARTITION = 'aws';
export const URL_SUFFIX = 'amazonaws.com';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation JSON is untyped by nature */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
  Condition?: string;
  DependsOn?: string | string[];
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Conditions?: Record<string, any>;
  Parameters?: Record<string, { Default?: unknown }>;
}

/** The stack synthesized into `cdk.out`: its template and where its assets are. */
export class SynthesizedStack {
  readonly template: CfnTemplate;
  private readonly ids = new Map<string, string>();

  constructor(
    readonly cdkOut: string,
    readonly stackName: string,
    template: CfnTemplate,
  ) {
    this.template = template;
  }

  /** The one stack of `cdk.out` (the app has one; pick by name if that changes). */
  static load(cdkOut: string, stackName?: string): SynthesizedStack {
    const manifest = JSON.parse(fs.readFileSync(path.join(cdkOut, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
    };
    const stacks = Object.entries(manifest.artifacts).filter(([name, a]) => a.type === 'aws:cloudformation:stack' && (!stackName || name === stackName));
    if (stacks.length !== 1) throw new Error(`cdk.out: expected one stack${stackName ? ` named ${stackName}` : ''}, found ${stacks.map(([n]) => n).join(', ') || 'none'}`);
    const [name, artifact] = stacks[0] as [string, { properties?: { templateFile?: string } }];
    const file = path.join(cdkOut, artifact.properties?.templateFile ?? `${name}.template.json`);
    return new SynthesizedStack(cdkOut, name, JSON.parse(fs.readFileSync(file, 'utf8')) as CfnTemplate);
  }

  /** Resources of `type` (and whose Condition holds), as [logicalId, resource]. */
  ofType(type: string): Array<[string, CfnResource]> {
    return Object.entries(this.template.Resources).filter(([, r]) => r.Type === type && (!r.Condition || this.condition(r.Condition)));
  }

  resource(logicalId: string): CfnResource {
    const r = this.template.Resources[logicalId];
    if (!r) throw new Error(`template: no resource ${logicalId}`);
    return r;
  }

  /** The logical id a `{ Ref }` / `{ Fn::GetAtt }` points at (undefined for anything else). */
  static target(value: unknown): string | undefined {
    if (value && typeof value === 'object') {
      const v = value as Record<string, any>;
      if (typeof v.Ref === 'string') return v.Ref;
      const att = v['Fn::GetAtt'];
      if (Array.isArray(att)) return att[0];
      if (typeof att === 'string') return att.split('.')[0];
    }
    return undefined;
  }

  /** Resolves every intrinsic function in `value`, deeply. */
  resolve(value: any): any {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const k = keys[0] as string;
      const arg = value[k];
      switch (k) {
        case 'Ref':
          return this.ref(arg);
        case 'Fn::GetAtt': {
          const [id, ...att] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(id, att.join('.'));
        }
        case 'Fn::Join':
          return (this.resolve(arg[1]) as unknown[]).join(arg[0]);
        case 'Fn::Sub':
          return this.sub(arg);
        case 'Fn::Select':
          return (this.resolve(arg[1]) as unknown[])[Number(this.resolve(arg[0]))];
        case 'Fn::Split':
          return String(this.resolve(arg[1])).split(arg[0]);
        case 'Fn::If':
          return this.condition(arg[0]) ? this.resolve(arg[1]) : this.resolve(arg[2]);
        case 'Fn::GetAZs':
          return ['a', 'b', 'c'].map((z) => `${REGION}${z}`);
        case 'Fn::Base64':
          return Buffer.from(String(this.resolve(arg))).toString('base64');
        default:
          if (k.startsWith('Fn::')) throw new Error(`template: intrinsic ${k} is not emulated`);
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(value[k])]));
  }

  condition(name: string): boolean {
    const c = this.template.Conditions?.[name];
    if (c === undefined) throw new Error(`template: no condition ${name}`);
    return this.evalCondition(c);
  }

  private evalCondition(c: any): boolean {
    if (c && typeof c === 'object') {
      if ('Fn::Equals' in c) {
        const [a, b] = c['Fn::Equals'];
        return JSON.stringify(this.resolve(a)) === JSON.stringify(this.resolve(b));
      }
      if ('Fn::Not' in c) return !this.evalCondition(c['Fn::Not'][0]);
      if ('Fn::And' in c) return (c['Fn::And'] as unknown[]).every((x) => this.evalCondition(x));
      if ('Fn::Or' in c) return (c['Fn::Or'] as unknown[]).some((x) => this.evalCondition(x));
      if ('Condition' in c) return this.condition(c.Condition);
    }
    return Boolean(this.resolve(c));
  }

  private sub(arg: any): string {
    const [text, vars] = Array.isArray(arg) ? [arg[0] as string, this.resolve(arg[1] ?? {})] : [arg as string, {}];
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
      if (name in vars) return String(vars[name]);
      if (name.includes('.')) {
        const [id, ...att] = name.split('.');
        return String(this.getAtt(id as string, att.join('.')));
      }
      return String(this.ref(name));
    });
  }

  private ref(name: string): any {
    switch (name) {
      case 'AWS::AccountId':
        return ACCOUNT;
      case 'AWS::Region':
        return REGION;
      case 'AWS::Partition':
        return PARTITION;
      case 'AWS::URLSuffix':
        return URL_SUFFIX;
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return `arn:${PARTITION}:cloudformation:${REGION}:${ACCOUNT}:stack/${this.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NoValue':
        return undefined;
    }
    const param = this.template.Parameters?.[name];
    if (param) return param.Default;
    const r = this.resource(name);
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::DynamoDB::Table':
        return p.TableName ?? this.physicalName(name);
      case 'AWS::Lambda::Function':
        return p.FunctionName ?? this.physicalName(name);
      case 'AWS::Logs::LogGroup':
        return p.LogGroupName ?? `/aws/lambda/${this.physicalName(name)}`;
      case 'AWS::IAM::Role':
        return p.RoleName ?? this.physicalName(name);
      case 'AWS::Events::EventBus':
        return this.resolve(p.Name);
      case 'AWS::SQS::Queue':
        return `https://sqs.${REGION}.${URL_SUFFIX}/${ACCOUNT}/${p.QueueName ?? this.physicalName(name)}`;
      case 'AWS::ApiGateway::Stage':
        return this.resolve(p.StageName);
      case 'AWS::Cognito::UserPool':
        return `${REGION}_${this.id(name, 9, true)}`;
      case 'AWS::SecretsManager::Secret':
        // Ref of a secret is its ARN: the name (given or generated) and Secrets Manager's 6-character suffix.
        return `arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:${p.Name ?? this.physicalName(name)}-${this.id(`${name}/suffix`, 6, true)}`;
      case 'AWS::Cognito::UserPoolDomain':
        return this.resolve(p.Domain);
      default:
        // API ids, resource ids, client ids, …: stable, short, lower-case like the real ones.
        return this.id(name, 10);
    }
  }

  private getAtt(id: string, att: string): any {
    const r = this.resource(id);
    const p = r.Properties ?? {};
    const arn = (service: string, rest: string, region = REGION) => `arn:${PARTITION}:${service}:${region}:${ACCOUNT}:${rest}`;
    const key = `${r.Type}.${att}`;
    switch (key) {
      case 'AWS::DynamoDB::Table.Arn':
        return arn('dynamodb', `table/${this.ref(id)}`);
      case 'AWS::DynamoDB::Table.StreamArn':
        return arn('dynamodb', `table/${this.ref(id)}/stream/2026-01-01T00:00:00.000`);
      case 'AWS::Lambda::Function.Arn':
        return arn('lambda', `function:${this.ref(id)}`);
      case 'AWS::Logs::LogGroup.Arn':
        return arn('logs', `log-group:${this.ref(id)}:*`);
      case 'AWS::IAM::Role.Arn':
        return arn('iam', `role/${this.ref(id)}`, '');
      case 'AWS::IAM::ManagedPolicy.PolicyArn':
        return arn('iam', `policy/${this.physicalName(id)}`, '');
      case 'AWS::Events::EventBus.Arn':
        return arn('events', `event-bus/${this.ref(id)}`);
      case 'AWS::Events::EventBus.Name':
        return this.ref(id);
      case 'AWS::SQS::Queue.Arn':
        return arn('sqs', p.QueueName ?? this.physicalName(id));
      case 'AWS::SQS::Queue.QueueName':
        return p.QueueName ?? this.physicalName(id);
      case 'AWS::SNS::Topic.TopicArn':
        return arn('sns', this.physicalName(id));
      case 'AWS::Cognito::UserPool.Arn':
        return arn('cognito-idp', `userpool/${this.ref(id)}`);
      case 'AWS::Cognito::UserPool.ProviderName':
        return `cognito-idp.${REGION}.${URL_SUFFIX}/${this.ref(id)}`;
      case 'AWS::Cognito::UserPool.ProviderURL':
        return `https://cognito-idp.${REGION}.${URL_SUFFIX}/${this.ref(id)}`;
      case 'AWS::ApiGateway::RestApi.RootResourceId':
        return this.id(`${id}/root`, 10);
      case 'AWS::Logs::LogGroup.LogGroupName':
        return this.ref(id);
      default:
        if (att === 'Arn') return arn(r.Type.split('::')[1]?.toLowerCase() ?? 'unknown', this.physicalName(id));
        throw new Error(`template: Fn::GetAtt ${id}.${att} (${r.Type}) is not emulated`);
    }
  }

  /** `<stack>-<logicalId>-<suffix>` like CloudFormation's generated names. */
  physicalName(logicalId: string): string {
    return `${this.stackName}-${logicalId.slice(0, 40)}-${this.id(logicalId, 12, true)}`;
  }

  private id(seed: string, length: number, upper = false): string {
    const memo = `${seed}/${length}/${upper}`;
    let v = this.ids.get(memo);
    if (!v) {
      const alphabet = upper ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' : 'abcdefghijklmnopqrstuvwxyz0123456789';
      const bytes = createHash('sha256').update(seed).digest();
      v = Array.from(bytes.subarray(0, length), (b) => alphabet[b % alphabet.length]).join('');
      this.ids.set(memo, v);
    }
    return v;
  }
}
