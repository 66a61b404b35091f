import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/**
 * The browser tests drive Debian's `chromium` (apt-get, see .ci/run) through playwright-core: no browser
 * download, nothing from the network. SCIMLINK_CHROMIUM points elsewhere.
 */
export const CHROMIUM = process.env.SCIMLINK_CHROMIUM ?? '/usr/bin/chromium';

/** Quiet, offline, reproducible: no GPU, no QUIC, no first-run UI, no background updates or sync. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  /** One profile; each page is its own tab, so each has its own sessionStorage (its own console sign-in). */
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium headless on a fresh profile (--user-data-dir in a new temp folder, removed on close). */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'scimlink-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * `describe` when Chromium is installed. Without it the suite is skipped with a message — unless
 * SCIMLINK_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure, not a silent pass.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  if (process.env.SCIMLINK_REQUIRE_BROWSER === '1') {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${CHROMIUM} is missing and SCIMLINK_REQUIRE_BROWSER=1: install it (apt-get install chromium) or set SCIMLINK_CHROMIUM`);
      });
    });
    return;
  }
  console.warn(`Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium, or set SCIMLINK_CHROMIUM). CI sets SCIMLINK_REQUIRE_BROWSER=1 and fails instead.`);
  describe.skip(name, body);
}
