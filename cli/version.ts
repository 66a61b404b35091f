/**
 * The CLI's version: the bundle (cli/build.ts) has it baked in by esbuild's `define`; run from a checkout, it
 * is the repository's package.json version.
 */
declare const SCIMLINK_VERSION: string | undefined;

export function cliVersion(): string {
  if (typeof SCIMLINK_VERSION === 'string') return SCIMLINK_VERSION;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only in a checkout, never in the bundle
  return (require('../package.json') as { version: string }).version;
}
