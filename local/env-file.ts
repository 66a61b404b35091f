import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LocalApp } from './app';

/**
 * `.scimlink/env`: what `npm start` printed, as shell variables, so the docs' examples work when pasted after
 * `source .scimlink/env` (and the CLI finds the admin API without flags). Owner-only: it holds tokens.
 */
export function envFileText(app: Pick<LocalApp, 'url' | 'tenantUrl' | 'secretToken' | 'adminUrl' | 'adminToken' | 'consoleUrl'>): string {
  const vars: Array<[string, string, string]> = [
    ['SCIMLINK_URL', app.url, 'the local server'],
    ['TENANT_URL', app.tenantUrl, 'paste into Entra / any SCIM client'],
    ['TOKEN', app.secretToken, 'the Secret Token for TENANT_URL'],
    ['SCIMLINK_SCIM_TOKEN', app.secretToken, 'what scimlink check reads'],
    ['SCIMLINK_ADMIN_URL', app.adminUrl, 'what the scimlink CLI reads'],
    ['SCIMLINK_ADMIN_TOKEN', app.adminToken, ''],
    ['SCIMLINK_CONSOLE_URL', app.consoleUrl, 'the console, signed in as the local operator'],
  ];
  return [
    '# Written by npm start; `source` it in a shell. Holds tokens: keep it to yourself.',
    ...vars.map(([k, v, why]) => `export ${k}=${shellQuote(v)}${why ? `  # ${why}` : ''}`),
    '',
  ].join('\n');
}

export async function writeEnvFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}

const shellQuote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
