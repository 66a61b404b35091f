/**
 * The browser console's weight and first load (issue #7): what it ships (bytes and gzip bytes per file, as built
 * by console/build.ts) and, in headless Chromium against the local server, the time from navigation start to the
 * accounts list on screen — cold (browser cache disabled) and warm (the versioned app.js/app.css cached, as on a
 * second visit).
 */
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildConsole } from '../console/build';
import { startLocal } from '../local/app';
import { CHROMIUM, launchBrowser } from '../test/support/browser';
import { median, percentile, round } from './lib/stats';

export interface ConsoleBench {
  files: Record<string, { bytes: number; gzipBytes: number }>;
  /** app.js + app.css, gzip: the "shipped JS/CSS size". */
  jsCssGzipBytes: number;
  /** Plus index.html. */
  totalGzipBytes: number;
  firstLoad:
    | {
        runs: number;
        accounts: number;
        coldMsMedian: number;
        coldMsP95: number;
        warmMsMedian: number;
        warmMsP95: number;
        firstContentfulPaintMsMedian: number;
        /** HTTP requests of a cold load until the list shows: the document (config inline), app.js, app.css, then /me and /accounts side by side. */
        requests: number;
      }
    | { skipped: string };
}

/** Marks the first animation frame after the accounts table entered the page (≈ the moment it is painted). */
const RENDER_PROBE = `
  new MutationObserver((_, observer) => {
    if (!document.querySelector('main table')) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__accountsShownAt = performance.now(); });
  }).observe(document, { childList: true, subtree: true });
`;

export async function measureConsole(o: { runs: number; accounts?: number }): Promise<ConsoleBench> {
  const assets = await buildConsole();
  const files = Object.fromEntries(Object.entries(assets).map(([name, a]) => [name, { bytes: Buffer.byteLength(a.body), gzipBytes: gzipSync(a.body, { level: 9 }).length }]));
  const gz = (name: string) => files[name]?.gzipBytes ?? 0;
  const sizes = { files, jsCssGzipBytes: gz('app.js') + gz('app.css'), totalGzipBytes: gz('app.js') + gz('app.css') + gz('index.html') };
  if (!existsSync(CHROMIUM)) return { ...sizes, firstLoad: { skipped: `${CHROMIUM} not found (apt-get install chromium)` } };

  const app = await startLocal({ port: 0, memory: true, logLevel: 'SILENT' });
  const browser = await launchBrowser();
  try {
    const accounts = o.accounts ?? 25;
    for (let i = 1; i < accounts; i++) await app.admin.createAccount({ name: `Bench Customer ${String(i).padStart(3, '0')}`, type: 'customer' });
    const load = async (cache: boolean) => {
      const page = await browser.context.newPage();
      try {
        const cdp = await browser.context.newCDPSession(page);
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: !cache });
        await page.addInitScript(RENDER_PROBE);
        await page.goto(app.consoleUrl);
        // A function, not a string: the console's CSP (no 'unsafe-eval') refuses strings evaluated in the page.
        await page.waitForFunction(() => (globalThis as { __accountsShownAt?: number }).__accountsShownAt !== undefined);
        return (await page.evaluate(`({
          shown: window.__accountsShownAt,
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
          requests: 1 + performance.getEntriesByType('resource').length,
        })`)) as { shown: number; fcp: number; requests: number };
      } finally {
        await page.close();
      }
    };
    await load(false); // JIT and socket warm-up of the server, not measured
    const cold = [];
    for (let i = 0; i < o.runs; i++) cold.push(await load(false));
    await load(true); // fills the cache
    const warm = [];
    for (let i = 0; i < o.runs; i++) warm.push(await load(true));
    const ms = (xs: Array<{ shown: number }>) => xs.map((x) => x.shown);
    return {
      ...sizes,
      firstLoad: {
        runs: o.runs,
        accounts,
        coldMsMedian: round(median(ms(cold))),
        coldMsP95: round(percentile(ms(cold), 95)),
        warmMsMedian: round(median(ms(warm))),
        warmMsP95: round(percentile(ms(warm), 95)),
        firstContentfulPaintMsMedian: round(median(cold.map((x) => x.fcp))),
        requests: cold[0]?.requests ?? 0,
      },
    };
  } finally {
    await browser.close();
    await app.close();
  }
}
