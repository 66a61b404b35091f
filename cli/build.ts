/**
 * `npm run pack:cli`: the CLI as one file and an installable tarball, the way the aws-cdk package ships its CLI.
 * esbuild bundles cli/entry.ts and everything it imports (the AWS SDK's signer and credential chain included)
 * into dist/cli/package/scimlink.cjs — no tsx, no node_modules at run time — next to a package.json without
 * dependencies; `npm pack` turns that folder into dist/cli/scimlink-<version>.tgz, which installs anywhere with
 * `npm i -g ./scimlink-<version>.tgz`. The package is marked private: it is not meant for the public registry,
 * where the name `scimlink` is not ours.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..');

export function buildCli(outDir = join(ROOT, 'dist', 'cli')): { bundle: string; tarball: string; bytes: number } {
  const { version, engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; engines: Record<string, string> };
  const pkgDir = join(outDir, 'package');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(pkgDir, { recursive: true });
  const bundle = join(pkgDir, 'scimlink.cjs');
  buildSync({
    entryPoints: [join(ROOT, 'cli', 'entry.ts')],
    outfile: bundle,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    legalComments: 'none',
    logLevel: 'error',
    banner: { js: '#!/usr/bin/env node' },
    define: { SCIMLINK_VERSION: JSON.stringify(version) },
  });
  writeFileSync(
    join(pkgDir, 'package.json'),
    JSON.stringify(
      {
        name: 'scimlink',
        version,
        private: true,
        description: 'scimlink operator CLI: accounts, the Entra ID Sync integration, keys, users, check',
        license: 'UNLICENSED',
        bin: { scimlink: 'scimlink.cjs' },
        files: ['scimlink.cjs'],
        engines,
      },
      null,
      2,
    ) + '\n',
  );
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], { cwd: pkgDir, encoding: 'utf8' }).trim().split('\n').pop() as string;
  return { bundle, tarball: join(outDir, name), bytes: readFileSync(bundle).length };
}

if (require.main === module) {
  const { tarball, bytes } = buildCli();
  console.log(`${tarball} (scimlink.cjs ${(bytes / 1024).toFixed(0)} KB)\ninstall: npm i -g ${tarball}`);
}
