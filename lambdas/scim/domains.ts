import { ScimError } from './errors';
import { foldCase } from './rules';

/**
 * Domain claims (issue 14, item 2; docs/identifiers.md "Domain claims"): an operator claims an email/UPN domain for
 * one account, and only that account may then hold login IDs and email addresses in it. The rules about domains
 * live here, pure: which claims cover a value, and what the domain index keys of a sentinel are.
 *
 * A claim of `acme.com` covers `acme.com` **and every subdomain** (`eu.acme.com`, `mail.eu.acme.com`): whoever
 * controls a domain controls its subdomains (Entra too verifies a subdomain of a verified domain by itself), and a
 * squatter's `bob@eu.acme.com` would look like Acme's as much as `bob@acme.com`.
 */

/**
 * The most labels a claimed domain may have. A value's domain is checked against its parents down to two labels
 * and up to this many, so a user write adds at most MAX_CLAIM_LABELS - 1 condition checks per distinct domain
 * (one for `acme.com`, two for `eu.acme.com`), whatever the length of the domain Entra sends.
 */
export const MAX_CLAIM_LABELS = 6;

/** The domain of a canonical userName or email (after its last `@`), or undefined when it has none. */
export function domainOf(canonicalValue: string): string | undefined {
  const at = canonicalValue.lastIndexOf('@');
  const domain = at < 0 ? '' : canonicalValue.slice(at + 1);
  return domain.includes('.') ? domain : undefined;
}

/** The claims that would cover `domain`: itself and its parents, from two labels up to MAX_CLAIM_LABELS. */
export function coveringClaims(domain: string): string[] {
  const labels = domain.split('.');
  const out: string[] = [];
  for (let n = 2; n <= Math.min(labels.length, MAX_CLAIM_LABELS); n++) out.push(labels.slice(-n).join('.'));
  return out;
}

/**
 * Where a sentinel of a value in `domain` sits in the domain index (the table's sparse GSI `byDomain`): partitioned
 * by the domain's last two labels, sorted by its labels reversed with a trailing dot (`com.acme.eu.`), so one Query
 * with `begins_with(domainPath, "com.acme.")` finds `acme.com` and all its subdomains — and not `acmeshop.com`.
 */
export function domainIndexKeys(domain: string): { domainRoot: string; domainPath: string } {
  const labels = domain.split('.');
  return { domainRoot: labels.slice(-2).join('.'), domainPath: subtreePrefix(domain) };
}

/** The domain of a held userName or email (from its canonical sentinel key `email#ann@acme.com`); other kinds have none. */
export function valueDomain(value: { kind: string; key: string }): string | undefined {
  return value.kind === 'userName' || value.kind === 'email' ? domainOf(value.key.slice(value.key.indexOf('#') + 1)) : undefined;
}

/**
 * The domain index keys a sentinel carries (GSI `byDomain`): what lets a domain claim list the values already held
 * in the domain. No extra item and no extra transaction action: DynamoDB maintains the index (one index write per
 * userName or email sentinel with a domain).
 */
export function sentinelDomainKeys(value: { kind: string; key: string }): { domainRoot?: string; domainPath?: string } {
  const domain = valueDomain(value);
  return domain === undefined ? {} : domainIndexKeys(domain);
}

/** The `domainPath` prefix shared by a domain and all its subdomains. */
export const subtreePrefix = (domain: string) => `${domain.split('.').reverse().join('.')}.`;

/** A label: letters (any script, IDNs in Unicode form) or digits, inner hyphens, at most 63 characters. */
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]{0,61}[\p{L}\p{N}\p{M}])?$/u;

/**
 * An operator's domain input as the claim's canonical form (the form of the sentinel keys, NFKC + case folding), or
 * a 400 naming the rule. Two labels at least (a top-level domain cannot be claimed), MAX_CLAIM_LABELS at most.
 */
export function claimableDomain(input: unknown): string {
  const raw = typeof input === 'string' ? input.trim().replace(/^@/, '') : '';
  const domain = foldCase(raw).replace(/\.$/, '');
  const shown = JSON.stringify(raw.slice(0, 80));
  const labels = domain.split('.');
  // An empty input is one empty label, which LABEL refuses.
  if (domain.length > 253 || !labels.every((l) => LABEL.test(l))) {
    throw new ScimError(400, `domain ${shown} is not a domain name: use labels of letters, digits and hyphens separated by dots, e.g. acme.com`);
  }
  if (labels.length < 2) throw new ScimError(400, `domain ${shown} has one label: claim a domain such as acme.com, never a top-level domain`);
  if (labels.length > MAX_CLAIM_LABELS) throw new ScimError(400, `domain ${shown} has more than ${MAX_CLAIM_LABELS} labels: claim a parent domain (a claim covers its subdomains)`);
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) throw new ScimError(400, `domain ${shown} ends in a number: claim a domain name, not an IP address`);
  return domain;
}
