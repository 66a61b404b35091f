import * as z from 'zod/mini';
import { canonicalizeUser } from './canonical';
import { badRequest, invalidSyntax } from './errors';
import { validationRule } from './error-rules';
import { ADDRESS_TYPES, EMAIL_TYPES, EXTENSION_SCHEMA, PHONE_TYPES } from './schema';
import { E164, E164_EXAMPLE, EMAIL, EMAIL_MAX, EXTENSION, toBoolean } from './rules';
import { lookalikeProblem, visible } from './identifiers';
import { UserData } from './user';
import { isObject } from './json';

/**
 * Turning a client's User body into `UserData` (SPEC §4):
 *  1. canonical attribute names (case-insensitive, URN keys folded) — `canonicalizeUser`;
 *  2. `clean`: nulls are "absent", "True"/"False" become booleans, unsupported attributes and unsupported
 *     `type`s are dropped and *reported* (never an error: a forgotten Entra mapping must not fail a cycle);
 *  3. zod checks the rules and every failure becomes one 400 naming the attribute and the rule.
 */
export interface ParsedUser {
  data: UserData;
  /** Attribute paths that were accepted and ignored, for the request log. */
  ignored: string[];
}

type Json = Record<string, unknown>;

/** Attributes the server owns: silently ignored on input (RFC 7644 §3.3, readOnly). */
const SERVER_OWNED = new Set(['schemas', 'id', 'meta']);

const MAX = 1024;
/*
 * zod/mini, not classic zod: the same validator core with a functional API, ~15 KB instead of ~450 KB in every
 * Lambda bundle (cold start). Messages are worded for an admin: "is required", "must be a string, not number 5".
 */
const expecting = (expected: string) => ({
  error: (i: { input: unknown }) => (i.input === undefined ? 'is required' : `must be ${expected}, not ${describe(i.input)}`),
});
/**
 * Stored strings must be real Unicode text: JSON lets a client send an unpaired surrogate ("\ud800"), which has
 * no UTF-8 form — DynamoDB would refuse or mangle it (and with it a uniqueness key). Found by fuzzing.
 */
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;
const str = (max = MAX) =>
  z
    .string(expecting('a string'))
    .check(
      z.maxLength(max, { error: `is longer than ${max} characters` }),
      z.refine((s) => !UNPAIRED_SURROGATE.test(s), { error: 'is not valid Unicode text (it contains an unpaired surrogate)' }),
    );
const nonBlank = (max = MAX) => str(max).check(z.refine((s) => s.trim().length > 0, { error: 'must not be empty' }));
const bool = () => z.boolean(expecting('a boolean (true or false)'));
const obj = <T extends z.core.$ZodLooseShape>(shape: T) => z.object(shape, expecting('an object'));
const arr = <T extends z.core.SomeType>(item: T) => z.array(item, expecting('an array'));
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => `must be one of ${values.map((v) => `"${v}"`).join(', ')}` });
const opt = z.optional;

/**
 * The User schema, built on the first validation rather than when the module loads. Building zod schemas runs
 * (and so compiles) much of zod for the first time: ~3 ms, which moves from Lambda INIT to the first request that
 * validates — the first write of a container pays it, a 401 or a malformed body never does. (Handlers that never
 * validate do not bundle this module at all: see `UserWrites`.)
 */
let userSchema: ReturnType<typeof buildUserSchema> | undefined;

/**
 * Login IDs and emails are unique platform-wide, so a value that only *looks* like another must not pass as a
 * different one (SPEC §4 "No look-alikes"): invisible and control characters, surrounding whitespace, mixed
 * scripts. The refused value is shown with its invisible characters escaped (`\u{200B}`), so an admin can see them.
 */
const identifier = (max: number, also?: (v: string) => string | undefined) =>
  z.superRefine((v: string, ctx) => {
    // Over its length limit the value is refused already; judging 256 KiB of script mixes would only burn CPU.
    if (v.length > max) return;
    // A blank value is not a look-alike: "must not be empty" (or the address rule) says what is wrong with it.
    const problem = (v.trim() === '' ? undefined : lookalikeProblem(v)) ?? also?.(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `'${visible(v)}' ${problem}`, input: v });
  });

function buildUserSchema() {
  const emailSchema = obj({
    value: str(EMAIL_MAX).check(identifier(EMAIL_MAX, (v) => (EMAIL.test(v) ? undefined : 'is not a valid email address'))),
    type: oneOf(EMAIL_TYPES),
    primary: opt(bool()),
  });
  const phoneSchema = obj({
    value: str(64).check(
      z.refine((v) => E164.test(v), {
        error: (i) => `'${String(i.input)}' is not in E.164 format ("+", then 2-15 digits, the first not 0), e.g. ${E164_EXAMPLE}`,
      }),
    ),
    type: oneOf(PHONE_TYPES),
    primary: opt(bool()),
  });
  const roleSchema = obj({
    value: nonBlank(),
    primary: opt(bool()),
    display: opt(str()),
    type: opt(str()),
  });
  const addressSchema = obj({
    type: oneOf(ADDRESS_TYPES),
    streetAddress: opt(str()),
    locality: opt(str()),
    region: opt(str()),
    postalCode: opt(str()),
    country: opt(str()),
    formatted: opt(str()),
    primary: opt(bool()),
  });

  /** Entries are told apart by type (SPEC §4 lists one value per type): two "work" emails are ambiguous. */
  const oneOfEachType = z.superRefine((list: Array<{ type: string }>, ctx) => {
    const seen = new Set<string>();
    for (const item of list) {
      if (seen.has(item.type)) {
        ctx.addIssue({ code: 'custom', message: `has more than one entry of type "${item.type}"; send one value per type`, input: list });
        return;
      }
      seen.add(item.type);
    }
  });

  return z.object({
    userName: nonBlank(256).check(identifier(256)),
    externalId: opt(str(256)),
    displayName: opt(str()),
    name: opt(obj({ givenName: opt(str()), familyName: opt(str()), formatted: opt(str()) })),
    active: bool(),
    emails: arr(emailSchema).check(oneOfEachType),
    phoneNumbers: opt(arr(phoneSchema).check(oneOfEachType)),
    roles: opt(arr(roleSchema).check(z.maxLength(20, { error: 'has more than 20 roles' }))),
    addresses: opt(arr(addressSchema).check(oneOfEachType)),
    [EXTENSION_SCHEMA]: opt(
      obj({
        extension: opt(
          str(15).check(z.refine((v) => v.length > 15 || EXTENSION.test(v), { error: (i) => `'${String(i.input)}' must contain digits only` })),
        ),
      }),
    ),
  });
}

/**
 * The cross-attribute rules of SPEC §4, checked on the cleaned input rather than in zod's object refinement:
 * zod skips that refinement as soon as one field has a type error, and an admin should see every problem of a
 * user in one Entra cycle, not one per cycle.
 */
function crossAttributeIssues(u: Json): Array<{ path: PropertyKey[]; message: string }> {
  const issues: Array<{ path: PropertyKey[]; message: string }> = [];
  const has = (s: unknown) => typeof s === 'string' && s.trim() !== '';
  const name = isObject(u.name) ? u.name : {};
  if (!has(u.displayName) && !has(name.givenName) && !has(name.familyName)) {
    issues.push({ path: ['displayName'], message: 'is required: send at least one of displayName, name.givenName or name.familyName' });
  }
  const emails = Array.isArray(u.emails) ? u.emails : [];
  if (!emails.some((e) => isObject(e) && e.type === 'work')) {
    issues.push({
      path: ['emails', 'work'],
      message: 'is required: every user needs a work email address (map the mail attribute to emails[type eq "work"].value)',
    });
  }
  return issues;
}

/** Parse and validate a POST/PUT body (or a PATCH result) into UserData. Throws a 400 ScimError. */
export function parseUser(body: unknown): ParsedUser {
  if (!isObject(body)) throw invalidSyntax('The request body must be a JSON object: a SCIM User resource.');
  const ignored: string[] = [];
  const cleaned = clean(canonicalizeUser(body), ignored);
  const result = (userSchema ??= buildUserSchema()).safeParse(cleaned);
  const issues = [...(result.success ? [] : result.error.issues), ...crossAttributeIssues(cleaned)];
  if (!result.success || issues.length > 0) {
    // The first issue names the rule the request is counted under (metrics, provisioning health).
    const first = issues[0];
    throw badRequest(formatIssues(issues, cleaned), 'invalidValue', first ? validationRule(first.path, first.message) : undefined);
  }
  return { data: result.data as UserData, ignored };
}

function clean(input: Json, ignored: string[]): Json {
  const out: Json = {};
  for (const [key, raw] of Object.entries(input)) {
    if (raw === null || raw === undefined || SERVER_OWNED.has(key)) continue;
    switch (key) {
      case 'userName':
      case 'externalId':
      case 'displayName':
        out[key] = raw;
        break;
      case 'active':
        out.active = toBoolean(raw) ?? raw;
        break;
      case 'name':
        out.name = isObject(raw) ? pick(raw, ['givenName', 'familyName', 'formatted'], 'name', ignored) : raw;
        break;
      case 'emails':
        out.emails = typedList(raw, 'emails', EMAIL_TYPES, ['value', 'type', 'primary'], ignored);
        break;
      case 'phoneNumbers':
        out.phoneNumbers = typedList(raw, 'phoneNumbers', PHONE_TYPES, ['value', 'type', 'primary'], ignored);
        break;
      case 'addresses':
        out.addresses = typedList(
          raw,
          'addresses',
          ADDRESS_TYPES,
          ['type', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'formatted', 'primary'],
          ignored,
        );
        break;
      case 'roles':
        out.roles = list(raw).map((r) => (isObject(r) ? withBooleans(pick(r, ['value', 'primary', 'display', 'type'], 'roles', ignored)) : r));
        break;
      case EXTENSION_SCHEMA: {
        if (!isObject(raw)) {
          out[key] = raw;
          break;
        }
        const ext = pick(raw, ['extension'], EXTENSION_SCHEMA, ignored);
        // A number is an understandable way to send digits; store the digits as sent.
        if (typeof ext.extension === 'number' && Number.isSafeInteger(ext.extension) && ext.extension >= 0) {
          ext.extension = String(ext.extension);
        }
        if (Object.keys(ext).length > 0) out[key] = ext;
        break;
      }
      default:
        ignored.push(key);
    }
  }
  if (out.active === undefined) out.active = true; // RFC 7643 leaves it optional; a provisioned user is active.
  if (out.emails === undefined) out.emails = [];
  return out;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function pick(obj: Json, keep: string[], parent: string, ignored: string[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === null || v === undefined) continue;
    if (keep.includes(k)) out[k] = v;
    else ignored.push(parent.startsWith('urn:') ? `${parent}:${k}` : `${parent}.${k}`);
  }
  return out;
}

function withBooleans(obj: Json): Json {
  if ('primary' in obj) obj.primary = toBoolean(obj.primary) ?? obj.primary;
  return obj;
}

/**
 * Multi-valued attributes whose entries are told apart by `type` (emails, phoneNumbers, addresses). Entries of
 * types we do not store (a "home" email, a "fax" number) are ignored and reported; an entry without a type is
 * taken as "work" (the one Entra's default mappings use). Types compare case-insensitively (canonicalValues).
 */
function typedList(raw: unknown, attr: string, types: readonly string[], keep: string[], ignored: string[]): unknown[] {
  const out: unknown[] = [];
  for (const entry of list(raw)) {
    if (entry === null) continue;
    if (!isObject(entry)) {
      out.push(entry);
      continue;
    }
    const picked = withBooleans(pick(entry, keep, attr, ignored));
    const type = picked.type === undefined ? 'work' : typeof picked.type === 'string' ? picked.type.toLowerCase() : picked.type;
    if (typeof type === 'string' && !types.includes(type)) {
      ignored.push(`${attr}[type eq "${type}"]`);
      continue;
    }
    picked.type = type;
    out.push(picked);
  }
  return out;
}

/** zod issue → "emails[type eq "work"].value 'x' is not a valid email address" (the attribute, then the rule). */
function formatIssues(issues: Array<{ path: PropertyKey[]; message: string }>, cleaned: Json): string {
  const parts = issues.slice(0, 5).map((issue) => `${scimPath(issue.path, cleaned)} ${issue.message}`);
  if (issues.length > 5) parts.push(`and ${issues.length - 5} more`);
  return parts.join('; ');
}

function scimPath(path: PropertyKey[], cleaned: Json): string {
  const [attr, index, ...rest] = path.map(String);
  if (attr === undefined) return 'The resource';
  if (attr === EXTENSION_SCHEMA) return [attr, index].filter(Boolean).join(':');
  if (index === undefined) return attr;
  // Only the work-email rule (requiredRules) puts 'work' in a path: ['emails', 'work'].
  if (index === 'work') return 'emails[type eq "work"].value';
  const entries = cleaned[attr];
  const entry = Array.isArray(entries) ? entries[Number(index)] : undefined;
  if (/^[0-9]+$/.test(index) && isObject(entry) && typeof entry.type === 'string' && attr !== 'roles') {
    return `${attr}[type eq "${entry.type}"]${rest.length ? '.' + rest.join('.') : ''}`;
  }
  if (/^[0-9]+$/.test(index)) return `${attr}[${index}]${rest.length ? '.' + rest.join('.') : ''}`;
  return [attr, index, ...rest].join('.');
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string '${v.length > 40 ? v.slice(0, 40) + '…' : v}'`;
  return `${typeof v} ${String(v)}`;
}
