/**
 * The roles' identity policies from the template, evaluated for every call a function (or the Lambda service on
 * its behalf: logs, stream polling, the on-failure destination) makes — and every statement's use counted, so
 * that a grant no flow needs fails the test as surely as a call no grant allows.
 *
 * Evaluation follows IAM's policy logic for a single identity policy set: an explicit Deny wins, else some Allow
 * must match action (with `*`/`?` wildcards, case-insensitive), resource (wildcards) and every condition
 * (operators below; `…IfExists`, `ForAllValues:` / `ForAnyValue:` set operators). What it cannot model —
 * permission boundaries, SCPs, session policies, resource policies of the target — is listed in
 * docs/deployed-tests.md as what only AWS can prove.
 */
import type { AwsCall } from './aws-endpoint';
import { wildcard } from './http';
import { SynthesizedStack } from './template';

/* eslint-disable @typescript-eslint/no-explicit-any -- policy JSON */
export interface Statement {
  /** `<policy logical id>[<index>]`, for messages. */
  id: string;
  role: string;
  effect: 'Allow' | 'Deny';
  actions: string[];
  notActions?: string[];
  resources: string[];
  conditions: Record<string, Record<string, string[]>>;
  /** Resource policies only: `*` or ARNs / account ids. */
  principals?: string[];
  uses: number;
  /** Actions (as called) this statement allowed. */
  usedActions: Set<string>;
}

export interface Decision {
  call: AwsCall;
  allowed: boolean;
}

export class IamModel {
  readonly statements: Statement[] = [];
  readonly decisions: Decision[] = [];

  constructor(stack: SynthesizedStack) {
    const add = (source: string, roles: string[], document: any) => {
      for (const role of roles) this.statements.push(...statementsOf(source, role, stack.resolve(document)));
    };
    for (const [id, r] of stack.ofType('AWS::IAM::Policy')) {
      add(id, (r.Properties?.Roles ?? []).map((x: unknown) => SynthesizedStack.target(x)).filter(Boolean), r.Properties?.PolicyDocument);
    }
    for (const [id, r] of stack.ofType('AWS::IAM::ManagedPolicy')) {
      add(id, (r.Properties?.Roles ?? []).map((x: unknown) => SynthesizedStack.target(x)).filter(Boolean), r.Properties?.PolicyDocument);
    }
    for (const [id, r] of stack.ofType('AWS::IAM::Role')) {
      (r.Properties?.Policies ?? []).forEach((p: any) => add(`${id}/${p.PolicyName}`, [id], p.PolicyDocument));
      for (const arn of r.Properties?.ManagedPolicyArns ?? []) {
        const local = SynthesizedStack.target(arn);
        if (!local) throw new Error(`${id}: AWS managed policy ${JSON.stringify(arn)} cannot be evaluated here (its document is not in the template)`);
        const mp = stack.resource(local);
        add(local, [id], mp.Properties?.PolicyDocument);
      }
    }
  }

  /** Decides `call` for its role, records the decision and counts the statements that allowed it. */
  authorize(call: AwsCall): boolean {
    const mine = this.statements.filter((s) => s.role === call.role && matches(s, call));
    const allowed = mine.length > 0 && mine.every((s) => s.effect === 'Allow');
    if (allowed) {
      for (const s of mine) {
        s.uses += 1;
        s.usedActions.add(call.action.toLowerCase());
      }
    }
    this.decisions.push({ call, allowed });
    return allowed;
  }

  /** Statements of `roles` that allowed nothing. */
  unused(roles: Set<string>): Statement[] {
    return this.statements.filter((s) => roles.has(s.role) && s.effect === 'Allow' && s.uses === 0);
  }

  /**
   * Actions of used statements that no call needed (informational: a grant helper such as `grantSendMessages`
   * adds actions together, and some are used by AWS outside the request path).
   */
  unusedActions(roles: Set<string>): Array<{ statement: string; actions: string[] }> {
    return this.statements
      .filter((s) => roles.has(s.role) && s.effect === 'Allow' && s.uses > 0)
      .map((s) => ({ statement: s.id, actions: s.actions.filter((a) => !a.includes('*') && !s.usedActions.has(a.toLowerCase())) }))
      .filter((x) => x.actions.length > 0);
  }

  denied(): AwsCall[] {
    return this.decisions.filter((d) => !d.allowed).map((d) => d.call);
  }
}

/** The statements of a resolved policy document, attributed to `role`. */
export function statementsOf(source: string, role: string, doc: { Statement: any[] }, withPrincipal = false): Statement[] {
  return doc.Statement.map((s, i) => {
    if (!withPrincipal && (s.Principal || s.NotPrincipal)) throw new Error(`${source}[${i}]: Principal in an identity policy`);
    if (s.NotResource || s.NotPrincipal) throw new Error(`${source}[${i}]: NotResource / NotPrincipal is not emulated`);
    return {
      id: `${source}[${i}]`,
      role,
      effect: s.Effect,
      actions: list(s.Action),
      ...(s.NotAction ? { notActions: list(s.NotAction) } : {}),
      resources: list(s.Resource),
      conditions: Object.fromEntries(
        Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).map(([op, keys]) => [
          op,
          Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, list(v).map(String)])),
        ]),
      ),
      principals: s.Principal === undefined ? undefined : s.Principal === '*' ? ['*'] : list(s.Principal.AWS ?? s.Principal.Service ?? s.Principal),
      uses: 0,
      usedActions: new Set<string>(),
    };
  });
}

export function list(v: unknown): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}


export function matches(s: Pick<Statement, 'actions' | 'notActions' | 'resources' | 'conditions'>, call: AwsCall): boolean {
  const actionOk = s.notActions ? !s.notActions.some((a) => wildcard(a, call.action, true)) : s.actions.some((a) => wildcard(a, call.action, true));
  if (!actionOk) return false;
  if (!s.resources.some((r) => wildcard(r, call.resource))) return false;
  return Object.entries(s.conditions).every(([op, keys]) => Object.entries(keys).every(([key, values]) => condition(op, call.context[key], values)));
}

const OPERATORS: Record<string, (actual: string, expected: string) => boolean> = {
  StringEquals: (a, e) => a === e,
  StringNotEquals: (a, e) => a !== e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringLike: (a, e) => wildcard(e, a),
  StringNotLike: (a, e) => !wildcard(e, a),
  ArnEquals: (a, e) => a === e,
  ArnLike: (a, e) => wildcard(e, a),
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
};

/** One condition operator on one key (IAM: values of one key are ORed; Not… operators are NORed). */
function condition(op: string, actual: string | string[] | undefined, expected: string[]): boolean {
  if (op === 'Null') return (actual === undefined) === (expected[0] === 'true');
  const set = op.startsWith('ForAllValues:') ? 'all' : op.startsWith('ForAnyValue:') ? 'any' : undefined;
  const base = op.replace(/^For(All|Any)Values?:/, '');
  const ifExists = base.endsWith('IfExists');
  const name = ifExists ? base.slice(0, -'IfExists'.length) : base;
  const fn = OPERATORS[name];
  if (!fn) throw new Error(`IAM condition operator ${op} is not emulated`);
  const negated = name.includes('Not');
  const one = (a: string) => (negated ? expected.every((e) => fn(a, e)) : expected.some((e) => fn(a, e)));
  if (actual === undefined) return ifExists || set === 'all' || negated;
  const values = Array.isArray(actual) ? actual : [actual];
  if (set === 'all') return values.every(one);
  if (set === 'any') return values.some(one);
  return values.length === 1 ? one(values[0] as string) : values.some(one);
}
