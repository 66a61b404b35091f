/**
 * One-line renderings of request and answer bodies for the report: enough to recognise what was sent and
 * what came back, short enough for a terminal, and never a header (the bearer token lives in one).
 */

const MAX_ANSWER = 240;
const MAX_VALUE = 60;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function valueText(value: unknown): string {
  return clip(typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? 'undefined', MAX_VALUE);
}

/** `PatchOp: Replace active "False"; add phoneNumbers[type eq "mobile"].value "+1…"` or `User userName=… (9 attributes)`. */
export function summarizeBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body !== 'object' || body === null) return valueText(body);
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.Operations)) {
    const ops = record.Operations.map((op: unknown) => {
      const o = (op ?? {}) as Record<string, unknown>;
      return [String(o.op), o.path === undefined ? '(no path)' : String(o.path), valueText(o.value)].join(' ');
    });
    return `PatchOp: ${ops.join('; ')}`;
  }
  if ('userName' in record) {
    const others = Object.keys(record).filter((k) => k !== 'userName' && k !== 'schemas').length;
    return `User userName=${valueText(record.userName)} (+${others} attributes)`;
  }
  return clip(JSON.stringify(record), MAX_ANSWER);
}

/** The answer body on one line, clipped: SCIM errors are short, users are not. */
export function summarizeAnswer(text: string): string | undefined {
  return text.trim() === '' ? undefined : clip(text, MAX_ANSWER);
}
