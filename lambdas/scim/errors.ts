/**
 * SCIM errors (RFC 7644 §3.12). Every failure the core detects is a `ScimError`; the HTTP edge turns it into
 * the RFC body. Anything that is *not* a ScimError is a bug or an infrastructure fault and is hidden behind a
 * generic 500 by the error middleware, so internals never leak into a response.
 */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** scimType values that RFC 7644 §3.12 defines (Table 9), plus the ones we use. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  /** RFC 9865 §2.2 */
  | 'invalidCursor'
  | 'expiredCursor'
  | 'invalidCount';

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    /** Extra response headers, e.g. Retry-After on 429/503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  toBody(): ScimErrorBody {
    return {
      schemas: [ERROR_SCHEMA],
      // RFC 7644 §3.12: "status" is a string; Entra's validator checks this.
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }
}

export interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export const badRequest = (detail: string, scimType: ScimType = 'invalidValue') => new ScimError(400, detail, scimType);
export const invalidSyntax = (detail: string) => new ScimError(400, detail, 'invalidSyntax');
export const invalidFilter = (detail: string) => new ScimError(400, detail, 'invalidFilter');
export const invalidPath = (detail: string) => new ScimError(400, detail, 'invalidPath');
export const noTarget = (detail: string) => new ScimError(400, detail, 'noTarget');
export const mutability = (detail: string) => new ScimError(400, detail, 'mutability');
/** RFC 7644 §3.12: more than the server is willing to calculate or process. */
export const tooMany = (detail: string) => new ScimError(400, detail, 'tooMany');
export const notFound = (detail: string) => new ScimError(404, detail);
export const uniqueness = (detail: string) => new ScimError(409, detail, 'uniqueness');
export const preconditionFailed = (detail: string) => new ScimError(412, detail);
export const unauthorized = (detail = 'Authorization failed: send the Secret Token as "Authorization: Bearer <token>".') =>
  new ScimError(401, detail);
/** Transient trouble (throttling, contention): Entra retries 429/503 honouring Retry-After. */
export const unavailable = (detail: string, retryAfterSeconds = 2) =>
  new ScimError(503, detail, undefined, { 'Retry-After': String(retryAfterSeconds) });
export const tooManyRequests = (detail: string, retryAfterSeconds = 2) =>
  new ScimError(429, detail, undefined, { 'Retry-After': String(retryAfterSeconds) });
