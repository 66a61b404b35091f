import { visible } from '../lambdas/scim/identifiers';

/**
 * The CLI never writes a control character it did not create (issue 14, item 7). Tenant-supplied text — a userName,
 * a displayName, a provisioning-log field, a server message echoing a value — may carry ESC sequences that recolour
 * or rewrite the operator's terminal, a carriage return that hides what came before, or bidi controls that
 * reorder a line. Everything the CLI prints goes through here: such characters become visible `\u{…}` escapes;
 * the CLI's own newlines and tabs stay.
 */
export function terminalSafe(text: string): string {
  return text
    .split(/([\n\t])/)
    .map((part) => (part === '\n' || part === '\t' ? part : visible(part)))
    .join('');
}

/**
 * JSON for `--json` with the same characters written as JSON `\uXXXX` escapes: still valid JSON that parses to the
 * very same strings, but nothing a terminal would act on (JSON.stringify escapes only U+0000–U+001F).
 */
export function jsonSafe(text: string): string {
  return text.replace(INVISIBLE_IN_JSON, (ch) => [...Array(ch.length).keys()].map((i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}
const INVISIBLE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}]/gu;
