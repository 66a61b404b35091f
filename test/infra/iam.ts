import type { HandlerAccess } from '../../lambdas/routes';

/**
 * The least-privilege contract of SPEC §1 / issue #4, written independently of lib/ so that widening a grant in
 * lib/handler-function.ts fails a test instead of silently passing: every action a function may hold, by the
 * access level HANDLER_ACCESS gives it.
 */
export const ALLOWED = {
  logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  table: {
    none: [],
    read: ['dynamodb:GetItem', 'dynamodb:Query'],
    write: ['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
    /** admin-verify (`scimlink verify`) alone: it reads the whole table, and writes nothing. */
    scan: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
  },
  /** SCIM handlers (read or write) also: auth's read and the operation's first read as one BatchGetItem. */
  scimBatchRead: ['dynamodb:BatchGetItem'],
  secrets: {
    none: [],
    read: ['secretsmanager:GetSecretValue'],
    write: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'],
    delete: ['secretsmanager:DeleteSecret'],
  },
} as const;

/** The one conditional grant: a SCIM reader recording the integration's lastRequestAt, and nothing else. */
export const TOUCH_CONDITION = {
  'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'lastRequestAt'] },
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ACCOUNT#*'] },
  StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
};

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export interface Expected {
  handler: string;
  access: HandlerAccess;
  /** Serves SCIM routes (records lastRequestAt). */
  scim: boolean;
  tableArn: unknown;
  logGroupArn: unknown;
  /** e.g. `:secret:scimlink/prod/tokens/*` — the tail every secrets resource must end with. */
  secretsArnTail: string;
  /** The provisioning log's sealing key (SCIM functions only): GetSecretValue on exactly this secret. */
  logKeyArn?: unknown;
}

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function joinedTail(resource: unknown): string | undefined {
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const last = join?.[1]?.[join[1].length - 1];
  return typeof last === 'string' ? last : undefined;
}

/**
 * Everything wrong with one function's statements, as readable lines (empty = least privilege holds). Extra
 * actions, missing actions, wildcards, resources other than the table / own log group / token-secret prefix,
 * and any condition other than the lastRequestAt one are all problems.
 */
export function accessProblems(statements: Statement[], e: Expected): string[] {
  const problems: string[] = [];
  const granted = new Set<string>();
  let touch = false;
  let logKey = false;
  let domainIndex = false;
  const indexArn = { 'Fn::Join': ['', [e.tableArn, '/index/byDomain']] };
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    const actions = list(s.Action);
    let resources = list(s.Resource);
    // CDK merges the log-key read into the token-hash read when both are GetSecretValue: take it out of the list.
    if (e.logKeyArn !== undefined && same(actions, ['secretsmanager:GetSecretValue']) && s.Condition === undefined && resources.some((r) => same(r, e.logKeyArn))) {
      logKey = true;
      resources = resources.filter((r) => !same(r, e.logKeyArn));
      if (resources.length === 0) continue;
    }
    // The domain-claim handlers' one extra grant: Query on the byDomain GSI, named, nothing else on it.
    if (e.access.domainIndex && same(actions, ['dynamodb:Query']) && s.Condition === undefined && same(resources, [indexArn])) {
      domainIndex = true;
      continue;
    }
    for (const a of actions) if (a.includes('*')) problems.push(`${e.handler}: wildcard action ${a}`);
    for (const r of resources) if (r === '*') problems.push(`${e.handler}: Resource "*" for ${actions.join(', ')}`);
    if (s.Condition !== undefined) {
      if (e.scim && e.access.table === 'read' && same(actions, ['dynamodb:UpdateItem']) && same(s.Condition, TOUCH_CONDITION) && same(resources, [e.tableArn])) {
        touch = true;
      } else {
        problems.push(`${e.handler}: unexpected conditional grant of ${actions.join(', ')}`);
      }
      continue;
    }
    for (const a of actions) {
      granted.add(a);
      const ok = a.startsWith('dynamodb:')
        ? resources.every((r) => same(r, e.tableArn))
        : a.startsWith('logs:')
          ? resources.every((r) => same(r, e.logGroupArn))
          : a.startsWith('secretsmanager:')
            ? resources.every((r) => joinedTail(r) === e.secretsArnTail)
            : false;
      if (!ok) problems.push(`${e.handler}: ${a} on ${JSON.stringify(resources)}`);
    }
  }
  const batchRead = e.scim && (e.access.table === 'read' || e.access.table === 'write') ? ALLOWED.scimBatchRead : [];
  const allowed = new Set<string>([...ALLOWED.logs, ...ALLOWED.table[e.access.table], ...batchRead, ...ALLOWED.secrets[e.access.secrets]]);
  const extra = [...granted].filter((a) => !allowed.has(a)).sort();
  const missing = [...allowed].filter((a) => !granted.has(a)).sort();
  const level = `table ${e.access.table}, secrets ${e.access.secrets}`;
  if (extra.length > 0) problems.push(`${e.handler} (${level}) holds more than it may: ${extra.join(', ')}`);
  if (missing.length > 0) problems.push(`${e.handler} (${level}) lacks: ${missing.join(', ')}`);
  if (e.scim && e.access.table === 'read' && !touch) problems.push(`${e.handler}: no lastRequestAt grant`);
  if (e.access.domainIndex && !domainIndex) problems.push(`${e.handler}: cannot query the byDomain index`);
  if (e.logKeyArn !== undefined && !logKey) problems.push(`${e.handler}: cannot read the provisioning log's sealing key`);
  return problems;
}
