import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, type BuildResult, build, buildSync } from 'esbuild';
import { type ConsoleAssets, assetVersion } from '../lambdas/console/static-files';

export type { ConsoleAssets } from '../lambdas/console/static-files';

/**
 * The browser console, built in memory: one minified script (console/src/main.ts and what it imports), one
 * minified stylesheet, and index.html pointing at both with a content version (`app.js?v=…`) so browsers may
 * cache them for good. `npm start` serves the result; the CDK app writes it to console-assets.json for the
 * console-assets function.
 */
const DIR = __dirname;

const common: BuildOptions = {
  bundle: true,
  minify: true,
  write: false,
  legalComments: 'none',
  logLevel: 'silent',
  // Browsers of the last ~3 years: native <dialog>, optional chaining, crypto.subtle.
  target: ['chrome110', 'firefox115', 'safari16.4', 'edge110'],
};
const SCRIPT: BuildOptions = { ...common, entryPoints: [join(DIR, 'src', 'main.ts')], format: 'iife', platform: 'browser', tsconfig: join(DIR, 'tsconfig.json') };
const STYLES: BuildOptions = { ...common, entryPoints: [join(DIR, 'styles.css')], loader: { '.css': 'css' } };

export async function buildConsole(): Promise<ConsoleAssets> {
  const [js, css] = await Promise.all([build(SCRIPT), build(STYLES)]);
  return assemble(js, css);
}

export function buildConsoleSync(): ConsoleAssets {
  return assemble(buildSync(SCRIPT), buildSync(STYLES));
}

function assemble(js: BuildResult, css: BuildResult): ConsoleAssets {
  const script = only(js);
  const styles = only(css);
  const html = readFileSync(join(DIR, 'index.html'), 'utf8')
    .replace('src="app.js"', `src="./app.js?v=${assetVersion(script)}"`)
    .replace('href="app.css"', `href="./app.css?v=${assetVersion(styles)}"`)
    // Whitespace between tags only: the page has no <pre> or inline text that depends on it.
    .replace(/>\s+</g, '><')
    .trim();
  return {
    'index.html': { body: html, contentType: 'text/html; charset=utf-8' },
    'app.js': { body: script, contentType: 'text/javascript; charset=utf-8' },
    'app.css': { body: styles, contentType: 'text/css; charset=utf-8' },
  };
}

function only(result: BuildResult): string {
  const file = result.outputFiles?.[0];
  if (!file) throw new Error('esbuild produced no output for the console');
  return file.text;
}
