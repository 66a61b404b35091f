/** `scimlink check --help`: what it does, what it writes, and what each kind of failure means to Entra. */
import { CONSEQUENCE_TABLE } from './consequences';
import { CHECK_OPTIONS } from './options';

export const CHECK_SUMMARY = 'play Entra ID against a tenant URL and say whether provisioning will work';

export function checkHelp(): string {
  const options = Object.entries(CHECK_OPTIONS).map(([name, def]) => {
    const label = `${def.short ? `-${def.short}, ` : '    '}--${name}${def.type === 'string' ? ` ${def.value ?? 'VALUE'}` : ''}`;
    return [label, def.description] as const;
  });
  const width = Math.max(...options.map(([l]) => l.length));
  const statusWidth = Math.max(...CONSEQUENCE_TABLE.map(([s]) => s.length));
  return [
    'Usage: scimlink check TENANT_URL [--token TOKEN | --token -] [--write | --read-only] [--json]',
    '',
    `${CHECK_SUMMARY[0]!.toUpperCase()}${CHECK_SUMMARY.slice(1)}.`,
    '',
    "Runs, in Entra's order: the Test Connection probe (userName eq a random GUID), discovery, then a whole user",
    'lifecycle with throw-away users (create; find by userName, externalId and work email with Entra\'s encodings;',
    'PATCH in both Entra dialects; disable, re-enable; PUT; DELETE), the uniqueness and validation rules, and a',
    'burst of 50 GETs at 50/s with latency percentiles.',
    '',
    "Throw-away users are named scimlink-check-<run id>-…@example.com; the check only touches those and always",
    'removes them at the end, also after a failure or Ctrl-C. Against scimlink its traffic is synthetic: the',
    'requests carry X-Scimlink-Synthetic: check, so they are marked in the provisioning log and leave "last',
    'request from Entra" alone, and no change event is published for the throw-away users.',
    '',
    'Read-only (GETs only) unless the URL is on this machine (localhost, 127.x, [::1]) or --write is given: a',
    "production tenant is not written to by default. Works against the local server (npm start) and any HTTPS",
    'SCIM endpoint with a bearer token.',
    '',
    'Arguments:',
    '  TENANT_URL  the Tenant URL pasted into Entra (Generate keys prints it)',
    '',
    'Options:',
    ...options.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`),
    '',
    'What Entra does with a failure (shown after each failed step):',
    ...CONSEQUENCE_TABLE.map(([s, c]) => `  ${s.padEnd(statusWidth)}  ${c}`),
    '',
    'Exit codes: 0 everything Entra relies on passed (warnings allowed), 1 something failed, 2 the command line',
    'is wrong, 130 interrupted (throw-away users are still removed).',
    '',
  ].join('\n');
}
