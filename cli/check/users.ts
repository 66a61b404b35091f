/**
 * Throw-away users: Entra-shaped bodies whose every unique value carries this run's prefix
 * (`scimlink-check-<run id>-…`), so the check can only ever collide with, find, or delete its own users.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { SYNTHETIC_USER_DOMAIN, SYNTHETIC_USER_PREFIX } from '../../lambdas/scim/synthetic';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/**
 * Every throw-away userName starts with this: operators can spot (and filter) leftovers of an aborted run, and
 * scimlink publishes no change event for such users (lambdas/scim/synthetic.ts).
 */
export const PREFIX = SYNTHETIC_USER_PREFIX;
/** RFC 2606 reserves example.com: no mail ever reaches anyone. */
const DOMAIN = SYNTHETIC_USER_DOMAIN;

export class ThrowAwayUsers {
  /** Time-ordered, then random: two checks running at once never share a value. */
  readonly runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  readonly prefix = `${PREFIX}${this.runId}-`;

  userName(label: string): string {
    return `${this.prefix}${label}@${DOMAIN}`;
  }

  /**
   * An E.164 number in the fictional 555-01xx block of a random North American area code: well formed for
   * any validator, never a real subscriber, and unlikely to be held by anyone on the platform.
   */
  phone(): string {
    return `+1${randomInt(201, 990)}55501${String(randomInt(0, 100)).padStart(2, '0')}`;
  }

  /**
   * A user the way Entra's default mappings build it: boolean-as-string `active`, an enterprise-extension
   * attribute and a `title` (a server must accept and may ignore them), a work email and address.
   */
  body(label: string): Record<string, unknown> {
    const userName = this.userName(label);
    return {
      schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
      externalId: `${this.prefix}${label}-${randomUUID()}`,
      userName,
      active: 'True',
      displayName: `Check ${label} ${this.runId}`,
      name: { givenName: 'Check', familyName: `${label} ${this.runId}`, formatted: `Check ${label} ${this.runId}` },
      emails: [{ primary: true, type: 'work', value: userName }],
      addresses: [{ type: 'work', primary: true, locality: 'Redmond', region: 'WA', country: 'US' }],
      title: 'Provisioning check',
      [ENTERPRISE_SCHEMA]: { department: 'scimlink check' },
    };
  }
}
