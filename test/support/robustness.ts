/**
 * Shared by the robustness tests (races, faults, fuzz, tenant isolation): what a correct SCIM answer is, the
 * consistency check of the whole table, and small helpers for concurrent workloads.
 */
import { documentClient } from '../../lambdas/runtime/deps';
import { verifyTable } from '../../lambdas/admin/verify-table';
import type { VerifyReport } from '../../lambdas/admin/verify';
import type { LocalApp } from '../../local/app';
import type { ScimResponse } from './local-server';
import { seededRandom } from './faults';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * Why a response is not a correct SCIM answer (undefined when it is): a 5xx other than 503 (and 501 on /Groups),
 * a 429/503 without Retry-After, an error body that is not RFC 7644 §3.12, a success that is not SCIM JSON.
 */
export function scimAnswerProblem(res: ScimResponse): string | undefined {
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/scim+json')) return `Content-Type ${type}`;
  if (res.status >= 500 && res.status !== 503 && res.status !== 501) return `status ${res.status}: ${res.text.slice(0, 300)}`;
  if (res.status === 429 || res.status === 503) {
    const retryAfter = Number(res.headers.get('retry-after'));
    if (!(retryAfter > 0)) return `status ${res.status} without Retry-After`;
  }
  if (res.status >= 400) {
    const body = res.body as { schemas?: unknown; status?: unknown; detail?: unknown } | undefined;
    if (!Array.isArray(body?.schemas) || !body.schemas.includes(ERROR_SCHEMA)) return `error body without the Error schema: ${res.text.slice(0, 200)}`;
    if (body.status !== String(res.status)) return `error body status ${JSON.stringify(body.status)} for HTTP ${res.status}`;
    if (typeof body.detail !== 'string' || body.detail === '') return 'error body without detail';
  } else if (res.status !== 204 && (res.body === undefined || typeof res.body !== 'object')) {
    return `status ${res.status} with a body that is not JSON: ${res.text.slice(0, 200)}`;
  }
  return undefined;
}

/** Scan the local server's table and check it (findings must be empty after any workload). */
export function verifyLocal(app: LocalApp): Promise<VerifyReport> {
  return verifyTable(documentClient(app.dynamo.client), app.tableName);
}

/** Run `tasks` with at most `concurrency` in flight. */
export async function pool<T>(concurrency: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

/** A seeded source of random choices for a workload (seed printed in failure messages to replay it). */
export function chooser(seed: number) {
  const random = seededRandom(seed);
  return {
    seed,
    random,
    int: (n: number) => Math.floor(random() * n),
    pick<T>(list: readonly T[]): T {
      return list[Math.floor(random() * list.length)]!;
    },
    chance: (p: number) => random() < p,
  };
}

/** `FOO_SEED` from the environment or a fresh one. */
export const seedFrom = (name: string) => Number(process.env[name] ?? Math.floor(Math.random() * 2 ** 31));

/** A valid user body built from the given unique values. */
export function userWith(values: { userName: string; email: string; phone?: string; displayName?: string; externalId?: string; extension?: string; active?: boolean }) {
  return {
    schemas: [USER_SCHEMA],
    userName: values.userName,
    displayName: values.displayName ?? `User ${values.userName}`,
    active: values.active ?? true,
    emails: [{ type: 'work', value: values.email, primary: true }],
    ...(values.phone ? { phoneNumbers: [{ type: 'mobile', value: values.phone }] } : {}),
    ...(values.externalId ? { externalId: values.externalId } : {}),
    ...(values.extension ? { 'urn:ietf:params:scim:schemas:extension:scimlink:2.0:User': { extension: values.extension } } : {}),
  };
}

/** The unique values a SCIM user resource holds, as the platform compares them (SPEC §4). */
export function heldValues(user: { userName?: string; emails?: Array<{ value?: string }>; phoneNumbers?: Array<{ value?: string }> }): string[] {
  return [
    ...(user.userName ? [`userName:${user.userName.toLowerCase()}`] : []),
    ...(user.emails ?? []).map((e) => `email:${String(e.value).toLowerCase()}`),
    ...(user.phoneNumbers ?? []).map((p) => `phone:${String(p.value).replace(/[^0-9]/g, '')}`),
  ];
}
