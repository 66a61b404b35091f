/**
 * The browser console end to end (issue #7): a real Chromium against `npm start`'s server (in memory), every
 * flow an operator, a partner and an account admin go through, with the seed's wording. Screenshots go to
 * test-artifacts/console/ (and, with SCIMLINK_UPDATE_SCREENSHOTS=1, the main screens to docs/screenshots/ for
 * the README). Secret Tokens are masked in every screenshot.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { AccountView } from '../../lambdas/admin/contract';
import { LocalApp, startLocal } from '../../local/app';
import { buildConsole } from '../../console/build';
import { setConsoleAssets } from '../../lambdas/console-assets';
import { TestBrowser, describeWithBrowser, launchBrowser } from '../support/browser';
import { userWith } from '../support/robustness';
import { FakeHostedUi, startFakeHostedUi } from '../support/fake-hosted-ui';
import { entraUser } from '../support/local-server';

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');
const DOCS = join(ROOT, 'docs', 'screenshots');
const ENTRA = 'Entra ID Sync (Azure AD sync)';

jest.setTimeout(90_000);

describeWithBrowser('browser console', () => {
  let app: LocalApp;
  let browser: TestBrowser;
  /** Every page opened by a test: its uncaught errors fail the test. */
  let pages: Array<{ page: Page; errors: string[] }> = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await startLocal({ port: 0, memory: true, logLevel: 'SILENT' });
    browser = await launchBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(async () => {
    const errors = pages.flatMap((p) => p.errors);
    for (const p of pages) await p.page.close();
    pages = [];
    expect(errors).toEqual([]);
  });

  /** A new tab signed in with `session` (default: the Console URL npm start prints), showing its first page. */
  async function openConsole(session?: string, width = 1280): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: width < 600 ? 780 : 860 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // A 4xx the test provokes is logged by Chromium as a failed resource load; anything else is a bug.
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    pages.push({ page, errors });
    await page.goto(session ? `${app.url}/console/#session=${session}` : app.consoleUrl);
    await page.locator('main:not([aria-busy]) h1').waitFor();
    return page;
  }

  const operator = () => openConsole();
  const heading = (page: Page) => page.locator('main h1');
  /** An account's page: its Account Information tab is the current one (the heading is the account's name). */
  const accountInfo = (page: Page) => page.getByRole('navigation', { name: 'Account' }).locator('a[aria-current="page"]', { hasText: 'Account Information' }).waitFor();
  const dialog = (page: Page, name: string) => page.getByRole('dialog', { name });
  /** The status line (aria-live) that follows an action's button. */
  const statusAfter = (locator: Locator) => locator.locator('xpath=following::p[contains(@class,"status")][1]');

  /** The whole page, or at phone width what the screen shows (the README wants a phone, not a scroll). */
  async function shot(page: Page, name: string, docs = false): Promise<void> {
    const file = join(ARTIFACTS, `${name}.png`);
    const fullPage = (page.viewportSize()?.width ?? 1280) >= 600;
    // A Secret Token is never written anywhere, not even as pixels.
    await page.screenshot({ path: file, fullPage, mask: [page.getByLabel('Secret Token')], maskColor: '#8a94a6' });
    if (docs && process.env.SCIMLINK_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(file, join(DOCS, `${name}.png`));
    }
  }

  async function scim(tenantUrl: string, token: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${tenantUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/scim+json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.text().then((t) => (t ? JSON.parse(t) : undefined))) as Record<string, unknown> };
  }

  async function customerWithKeys(name: string): Promise<{ account: AccountView; tenantUrl: string; token: string }> {
    const account = await app.admin.createAccount({ name, type: 'customer' });
    await app.admin.addIntegration(account.id);
    const keys = await app.admin.generateKeys(account.id, app.url);
    return { account, tenantUrl: keys.tenantUrl, token: keys.secretToken };
  }

  /**
   * What `read` returns once `ready` accepts it (polled; at most 10 s): for state the page sets after an await,
   * which playwright-core's one-shot reads would otherwise race. The caller asserts on the value.
   */
  async function eventually<T>(read: () => Promise<T>, ready: (value: T) => boolean): Promise<T> {
    const until = Date.now() + 10_000;
    for (;;) {
      const value = await read();
      if (ready(value) || Date.now() > until) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const settledText = (locator: Locator, unlike = '') => eventually(() => locator.textContent(), (t) => !!t && t !== unlike);

  /** An expression evaluated in the page (a string: this file is type-checked without the DOM library). */
  const inPage = <T = unknown>(page: Page, expression: string) => page.evaluate(expression) as Promise<T>;
  const focusedText = (page: Page) => inPage<string | undefined>(page, 'document.activeElement?.textContent');
  const noHorizontalScroll = (page: Page) => inPage<boolean>(page, 'document.documentElement.scrollWidth <= document.documentElement.clientWidth');

  describe('signing in', () => {
    it('takes the session from the Console URL into sessionStorage, out of the address bar, and shows who is signed in', async () => {
      // Act
      const page = await operator();
      // Assess
      expect(page.url()).not.toContain('session=');
      expect(page.url()).toMatch(/\/console\/#\/accounts$/);
      expect(await inPage(page, '({ session: Object.keys(sessionStorage), local: localStorage.length })')).toEqual({ session: ['scimlink.token'], local: 0 });
      await expect(page.locator('header').textContent()).resolves.toContain('Signed in as local operator · Operator');
    });

    it('signs out: the token is forgotten and a reload stays signed out', async () => {
      // Prepare
      const page = await operator();
      // Act
      await page.getByRole('button', { name: 'Sign out' }).click();
      // Assess
      await expect(page.locator('main').textContent()).resolves.toContain('You are signed out');
      expect(await inPage(page, 'sessionStorage.length')).toBe(0);
      await page.reload();
      await page.getByText('You are not signed in').waitFor();
      expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    });

    it('a session the server does not know (e.g. after a restart) says so in plain words', async () => {
      // Act
      const page = await openConsole('scimlinkconsole_not-a-session');
      // Assess
      await page.getByText('Your session is no longer valid').waitFor();
    });
  });

  describe('operator: accounts', () => {
    it('lists the accounts, creates a customer and a partner account, and opens Account Information', async () => {
      // Prepare
      const page = await operator();
      // Assess: the demo account from npm start, with its type.
      expect(await heading(page).textContent()).toBe('Accounts');
      const demoRow = page.getByRole('row', { name: /Demo Customer/ });
      await expect(demoRow.textContent()).resolves.toContain('Customer');

      // Act: a customer account.
      await page.getByRole('button', { name: 'Create account' }).click();
      const create = dialog(page, 'Create account');
      await create.getByLabel('Account name').fill('Contoso');
      expect(await create.getByLabel('Customer').isChecked()).toBe(true);
      await shot(page, 'create-account');
      await create.getByRole('button', { name: 'Create' }).click();

      // Assess: its Account Information page, headed by its name; "Account Information" only names the tab.
      await page.waitForURL(/#\/accounts\/[^/]+$/);
      await accountInfo(page);
      expect(await heading(page).textContent()).toBe('Contoso');
      expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).textContent()).toBe('AccountsContoso');
      expect(await page.getByText('Account Information').count()).toBe(1);
      expect(await page.title()).toBe('Contoso · scimlink console');
      const info = page.locator('main dl.details').first();
      await expect(info.textContent()).resolves.toMatch(/Account nameContoso.*TypeCustomer/);
      expect(await create.count()).toBe(0);

      // Act: a partner account (Enter in the name field submits).
      await page.getByRole('link', { name: 'Accounts', exact: true }).first().click();
      await heading(page).filter({ hasText: 'Accounts' }).waitFor();
      await page.getByRole('button', { name: 'Create account' }).click();
      await dialog(page, 'Create account').getByLabel('Partner').check();
      await dialog(page, 'Create account').getByLabel('Account name').fill('Fabrikam Partners');
      await dialog(page, 'Create account').getByLabel('Account name').press('Enter');
      await heading(page).filter({ hasText: 'Fabrikam Partners' }).waitFor();
      await expect(page.locator('main dl.details').first().textContent()).resolves.toMatch(/TypePartner/);

      // Assess: both exist server-side, and the list shows them.
      const accounts = await app.admin.listAccounts();
      expect(accounts.map((a) => [a.name, a.type])).toEqual(expect.arrayContaining([['Contoso', 'customer'], ['Fabrikam Partners', 'partner']]));
      await page.goBack();
      await page.waitForURL(/#\/accounts$/);
      await page.getByRole('link', { name: 'Fabrikam Partners' }).waitFor();
      await shot(page, 'accounts', true);
    });

    it('the Accounts search keeps the accounts whose name or id contains the text, ignoring case, as you type', async () => {
      // Prepare
      const blue = await app.admin.createAccount({ name: 'Blue Yonder Airlines', type: 'customer' });
      await app.admin.createAccount({ name: 'Blue Sky Partners', type: 'partner' });
      const page = await operator();
      await expect(page.locator('main .scope').textContent()).resolves.toBe('As an operator you see every account.');
      const rows = page.locator('main tbody tr td:first-child');
      const total = await rows.count();

      // Act / Assess: by name, in any case.
      await page.getByRole('searchbox', { name: 'Search' }).fill('bLUE');
      await page.getByText(`2 of ${total} accounts match.`).waitFor();
      expect((await rows.allTextContents()).sort()).toEqual(['Blue Sky Partners', 'Blue Yonder Airlines']);
      await shot(page, 'accounts-search');
      // …by account id…
      await page.getByRole('searchbox', { name: 'Search' }).fill(blue.id.toUpperCase());
      await page.getByText(`1 of ${total} accounts match.`).waitFor();
      expect(await rows.allTextContents()).toEqual(['Blue Yonder Airlines']);
      // …nothing, then everything again.
      await page.getByRole('searchbox', { name: 'Search' }).fill('no such account');
      await page.getByText('No account matches.').waitFor();
      await page.getByRole('searchbox', { name: 'Search' }).fill('');
      expect(await rows.count()).toBe(total);
    });

    it('shows an API error in plain words next to the action (an empty name never leaves the page)', async () => {
      // Prepare
      const page = await operator();
      await page.getByRole('button', { name: 'Create account' }).click();
      const create = dialog(page, 'Create account');
      // Act
      await create.getByRole('button', { name: 'Create' }).click();
      // Assess
      await expect(create.locator('.status.error').textContent()).resolves.toBe('Enter the account name.');
      await expect(inPage(page, 'document.activeElement?.id')).resolves.toBe(await create.getByLabel('Account name').getAttribute('id'));
      // Act: a name the server refuses (over 200 characters, pasted around the field's limit by a script).
      await inPage(page, "(() => { const el = document.querySelector('dialog input[name=name]'); el.removeAttribute('maxlength'); el.value = 'x'.repeat(201); })()");
      await create.getByRole('button', { name: 'Create' }).click();
      // Assess: the API's message, as a sentence, right under the form in the dialog.
      expect(await settledText(create.locator('.status.error'), 'Enter the account name.')).toBe('Name is required (1-200 characters).');
    });
  });

  describe('Integrations', () => {
    it('+ Add new → Integrations panel → 3rd party → Add → Done shows Entra ID Sync in the section', async () => {
      // Prepare
      const account = await app.admin.createAccount({ name: 'Litware', type: 'customer' });
      const page = await openConsole(app.consoleSession({ role: 'operator' }));
      await page.goto(`${app.url}/console/#/accounts/${account.id}`);
      await page.getByText('No integrations yet').waitFor();

      // Act
      await page.getByRole('button', { name: '+ Add new' }).click();
      const panel = dialog(page, 'Integrations');
      await panel.getByRole('tab', { name: '3rd party' }).click();
      // Assess: the 3rd party tab lists Entra ID Sync with Add.
      expect(await panel.getByRole('tab', { name: '3rd party' }).getAttribute('aria-selected')).toBe('true');
      const tab = panel.getByRole('tabpanel', { name: '3rd party' });
      await expect(tab.textContent()).resolves.toContain(ENTRA);
      await tab.getByRole('button', { name: 'Add' }).click();
      await tab.getByRole('button', { name: 'Added' }).waitFor();
      expect(await tab.getByRole('button', { name: 'Added' }).isDisabled()).toBe(true);
      await expect(panel.locator('.status.ok').textContent()).resolves.toContain(`${ENTRA} added`);
      await shot(page, 'integrations-panel', true);
      await panel.getByRole('button', { name: 'Done' }).click();

      // Assess: the panel closed, the integration shows with its state.
      expect(await panel.count()).toBe(0);
      const card = page.getByRole('article', { name: ENTRA });
      await card.waitFor();
      await expect(card.textContent()).resolves.toMatch(/Setup incomplete.*Keys generatedNot yet: use Complete setup.*Last request from EntraNone seen yet.*Users provisioned0 users/);
      await expect(app.admin.getIntegration(account.id)).resolves.toMatchObject({ integration: 'Entra ID Sync' });
      await shot(page, 'account-information-setup-incomplete');
    });

    it('an operator claims a domain on the account page, sees who else holds values in it, and releases it; the quota is shown', async () => {
      // Prepare: another account already holds a login ID in the domain.
      const owner = await customerWithKeys('Domain Owner');
      const squatter = await customerWithKeys('Domain Squatter');
      expect((await scim(squatter.tenantUrl, squatter.token, 'POST', '/Users', userWith({ userName: 'bob@owner-browser.test', email: 'bob@elsewhere.test' }))).status).toBe(201);
      const page = await operator();
      await page.goto(`${app.url}/console/#/accounts/${owner.account.id}`);
      await page.getByText('No domain claimed').waitFor();
      // Its quota is shown too: no users yet, the deployment's default limit.
      await page.getByText('0 of 100000 (default)').waitFor();
      // Act
      await page.getByLabel('Domain', { exact: true }).fill('Owner-Browser.test');
      await page.getByRole('button', { name: 'Claim domain' }).click();
      // Assess: the claim, in canonical form, with the squatter's value listed.
      const card = page.getByRole('article', { name: 'Domain owner-browser.test' });
      await card.waitFor();
      await expect(card.getByRole('row', { name: /bob@owner-browser\.test/ }).textContent()).resolves.toContain(squatter.account.id);
      await shot(page, 'domain-claims');
      // Release, confirmed in a dialog.
      await card.getByRole('button', { name: 'Release' }).click();
      await page.getByRole('alertdialog', { name: 'Release owner-browser.test?' }).getByRole('button', { name: 'Release domain' }).click();
      await page.getByText('No domain claimed').waitFor();
      // An account admin of the same account does not get the section (the API would refuse it).
      const admin = await openConsole(app.consoleSession({ role: 'account-admin', accountId: owner.account.id, name: 'admin@owner.example' }));
      await admin.getByRole('heading', { name: 'Integrations' }).waitFor();
      expect(await admin.getByRole('heading', { name: 'Domain claims' }).count()).toBe(0);
    });

    it('on a partner account the panel explains that integrations are not supported, and offers no Add', async () => {
      // Prepare
      const partner = await app.admin.createAccount({ name: 'Adventure Works Partners', type: 'partner' });
      const page = await operator();
      await page.goto(`${app.url}/console/#/accounts/${partner.id}`);
      await page.getByText('No integrations yet').waitFor();
      // Act
      await page.getByRole('button', { name: '+ Add new' }).click();
      const panel = dialog(page, 'Integrations');
      await panel.getByRole('tab', { name: '3rd party' }).click();
      // Assess
      await expect(panel.getByRole('note').textContent()).resolves.toBe(
        'Integrations are not supported for partner accounts. Create a customer account and add the integration there.',
      );
      await expect(panel.getByRole('tabpanel', { name: '3rd party' }).textContent()).resolves.toContain(ENTRA);
      expect(await panel.getByRole('button', { name: 'Add', exact: true }).count()).toBe(0);
      await shot(page, 'integrations-panel-partner');
      await panel.getByRole('button', { name: 'Done' }).click();
      await page.getByText('No integrations yet').waitFor();
    });

    it('Complete setup → Generate keys shows a working Tenant URL and Secret Token once; regenerating asks first and revokes the old ones', async () => {
      // Prepare
      const account = await app.admin.createAccount({ name: 'Wide World Importers', type: 'customer' });
      await app.admin.addIntegration(account.id);
      const page = await operator();
      await page.goto(`${app.url}/console/#/accounts/${account.id}`);

      // Act: first keys (nothing to invalidate: no confirmation, no word of "previous" keys).
      await page.getByRole('button', { name: 'Complete setup' }).click();
      const entra = dialog(page, ENTRA);
      await expect(entra.textContent()).resolves.toContain('The Secret Token is shown only once, right after it is generated');
      expect(await entra.textContent()).not.toMatch(/previous|invalidates/);
      await entra.getByRole('button', { name: 'Generate keys' }).click();
      // Once keys exist, generating again would invalidate them: now the dialog says so.
      await entra.getByText('Generating keys again invalidates the previous Tenant URL and Secret Token immediately').waitFor();
      const tenantUrl = await entra.getByLabel('Tenant URL').inputValue();
      const token = await entra.getByLabel('Secret Token').inputValue();

      // Assess: the keys work for a real SCIM request (Entra's Test Connection probe)…
      expect(tenantUrl).toMatch(new RegExp(`^${app.url}/scim/${account.id}\\.`));
      expect(token).toMatch(/^scimlink_/);
      const probe = await scim(tenantUrl, token, 'GET', '/Users?filter=userName+eq+%22d3b07384-d9a0-4c9b-8e5f-0f1e2d3c4b5a%22');
      expect(probe).toMatchObject({ status: 200, body: { totalResults: 0, Resources: [] } });
      // …Copy puts them on the clipboard…
      await entra.getByRole('button', { name: 'Copy' }).nth(1).click();
      await entra.getByText('Secret Token copied.').waitFor();
      expect(await inPage(page, 'navigator.clipboard.readText()')).toBe(token);
      // …and the token is never stored by the page.
      expect(await inPage<string>(page, 'JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })')).not.toContain(token);
      await shot(page, 'entra-id-sync-keys', true);

      // Act: close; the token leaves the page with the dialog.
      await entra.getByRole('button', { name: 'Close' }).click();
      const card = page.getByRole('article', { name: ENTRA });
      // The card is re-read when the dialog closes: wait for the new state, not just for the card.
      await card.getByText(tenantUrl).waitFor();
      await expect(settledText(page.locator('.integrations .status.ok'))).resolves.toBe('Keys generated: Entra can now connect with this Tenant URL and the Secret Token.');
      expect(await page.content()).not.toContain(token);

      // Act: generate again, but cancel at the confirmation.
      await page.getByRole('button', { name: 'Complete setup' }).click();
      await entra.getByRole('button', { name: 'Generate keys' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Generate new keys?' });
      await expect(confirm.textContent()).resolves.toContain('stop working at once');
      await shot(page, 'regenerate-confirm');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      // Assess: nothing changed.
      expect(await entra.getByLabel('Secret Token').count()).toBe(0);
      expect((await scim(tenantUrl, token, 'GET', '/Users')).status).toBe(200);

      // Act: generate again, confirmed.
      await entra.getByRole('button', { name: 'Generate keys' }).click();
      await confirm.getByRole('button', { name: 'Generate new keys' }).click();
      const newToken = await entra.getByLabel('Secret Token').inputValue();
      const newUrl = await entra.getByLabel('Tenant URL').inputValue();
      // Assess: the old URL and token get 401 on the very next request; the new ones work.
      expect(newToken).not.toBe(token);
      expect(newUrl).not.toBe(tenantUrl);
      expect((await scim(tenantUrl, token, 'GET', '/Users')).status).toBe(401);
      expect((await scim(newUrl, token, 'GET', '/Users')).status).toBe(401);
      expect((await scim(newUrl, newToken, 'GET', '/Users')).status).toBe(200);
      await entra.getByRole('button', { name: 'Close' }).click();
      await expect(settledText(page.locator('.integrations .status.ok'), 'Keys generated: Entra can now connect with this Tenant URL and the Secret Token.')).resolves.toBe(
        'New keys generated; the previous Tenant URL and Secret Token no longer work.',
      );
      // Entra sends a user with a phone number that is not E.164: the card's provisioning health says so.
      const refused = await scim(newUrl, newToken, 'POST', '/Users', {
        userName: 'hal@blue.example',
        displayName: 'Hal',
        emails: [{ type: 'work', value: 'hal@blue.example' }],
        phoneNumbers: [{ type: 'mobile', value: '(415) 555-0100' }],
      });
      expect(refused.status).toBe(400);
      await app.flushProvisioningLog();
      // The last request Entra made is now on the card, and what is failing.
      await page.reload();
      const health = page.getByRole('region', { name: 'Provisioning health' });
      await health.getByText('Entra is failing 1 user on: phone number not in E.164 format.').waitFor();
      await expect(health.getByRole('list', { name: 'Top rejection reasons' }).textContent()).resolves.toContain('(e.g. hal@blue.example)');
      await expect(page.getByRole('article', { name: ENTRA }).textContent()).resolves.not.toContain('None seen yet');
      await shot(page, 'account-information', true);
    });

    it('an API error shows next to the action: Generate keys after the integration was removed elsewhere', async () => {
      // Prepare
      const { account } = await customerWithKeys('Blue Yonder');
      const page = await operator();
      await page.goto(`${app.url}/console/#/accounts/${account.id}`);
      await page.getByRole('button', { name: 'Complete setup' }).click();
      const entra = dialog(page, ENTRA);
      await app.admin.removeIntegration(account.id);
      // Act
      await entra.getByRole('button', { name: 'Generate keys' }).click();
      await page.getByRole('alertdialog', { name: 'Generate new keys?' }).getByRole('button', { name: 'Generate new keys' }).click();
      // Assess: the API's message, in the status line right after the button.
      const status = statusAfter(entra.getByRole('button', { name: 'Generate keys' }));
      expect(await settledText(status.and(page.locator('.error')))).toBe(`Account ${account.id} has no Entra ID Sync integration; add it first.`);
      expect(await status.getAttribute('aria-live')).toBe('polite');
      await shot(page, 'api-error');
    });

    it('Remove asks first, says access is revoked at once, and the old token then gets 401', async () => {
      // Prepare
      const { account, tenantUrl, token } = await customerWithKeys('Proseware');
      expect((await scim(tenantUrl, token, 'GET', '/Users')).status).toBe(200);
      const page = await operator();
      await page.goto(`${app.url}/console/#/accounts/${account.id}`);
      // Act
      await page.getByRole('article', { name: ENTRA }).getByRole('button', { name: 'Remove' }).click();
      const confirm = page.getByRole('alertdialog', { name: `Remove ${ENTRA}?` });
      await expect(confirm.textContent()).resolves.toContain('revoked at once');
      await shot(page, 'remove-integration-confirm');
      await confirm.getByRole('button', { name: 'Remove integration' }).click();
      // Assess
      await page.getByText('No integrations yet').waitFor();
      await expect(page.locator('.integrations .status.ok').textContent()).resolves.toBe(`${ENTRA} removed: Entra's access is revoked.`);
      expect((await scim(tenantUrl, token, 'GET', '/Users')).status).toBe(401);
    });

    it('Rename fixes a mistyped name: heading, breadcrumb and title follow; an empty name stays in the dialog', async () => {
      // Prepare
      const account = await app.admin.createAccount({ name: 'Contsoo Pharma', type: 'customer' });
      const page = await operator();
      await page.goto(`${app.url}/console/#/accounts/${account.id}`);
      await heading(page).filter({ hasText: 'Contsoo Pharma' }).waitFor();

      // Act: an empty name first, then the right one.
      await page.getByRole('button', { name: 'Rename' }).click();
      const rename = dialog(page, 'Rename Contsoo Pharma');
      await rename.getByLabel('Account name').fill('  ');
      await rename.getByRole('button', { name: 'Save' }).click();
      await rename.getByText('Enter the account name.').waitFor();
      await rename.getByLabel('Account name').fill('Contoso Pharma');
      await rename.getByRole('button', { name: 'Save' }).click();

      // Assess
      await heading(page).filter({ hasText: 'Contoso Pharma' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).textContent()).toBe('AccountsContoso Pharma');
      expect(await page.title()).toBe('Contoso Pharma · scimlink console');
      expect(await rename.count()).toBe(0);
      expect((await app.admin.getAccount(account.id)).name).toBe('Contoso Pharma');
    });

    it('Delete account says what goes (users, integration), deletes them after confirmation and returns to Accounts', async () => {
      // Prepare: an account with the integration and two users.
      const { account, tenantUrl, token } = await customerWithKeys('Leaving Soon Ltd');
      for (let i = 0; i < 2; i++) expect((await scim(tenantUrl, token, 'POST', '/Users', entraUser())).status).toBe(201);
      const page = await operator();
      await page.goto(`${app.url}/console/#/accounts/${account.id}`);
      await page.getByRole('article', { name: ENTRA }).waitFor();

      // Act: cancel first, then confirm.
      await page.getByRole('button', { name: 'Delete account' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Delete Leaving Soon Ltd?' });
      await expect(confirm.textContent()).resolves.toContain(
        `The account and its 2 users (their login IDs, emails and phone numbers become free for other accounts) and ${ENTRA} (its Tenant URL and Secret Token stop working at once) are deleted. This cannot be undone.`,
      );
      await shot(page, 'delete-account-confirm');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      expect((await scim(tenantUrl, token, 'GET', '/Users')).body.totalResults).toBe(2);
      await page.getByRole('button', { name: 'Delete account' }).click();
      await confirm.getByRole('button', { name: 'Delete account' }).click();

      // Assess
      await page.waitForURL(/#\/accounts$/);
      await expect(settledText(page.locator('main .status.ok'))).resolves.toBe('Account Leaving Soon Ltd deleted with its 2 users.');
      expect(await page.getByRole('link', { name: 'Leaving Soon Ltd' }).count()).toBe(0);
      expect(await app.admin.findAccount(account.id)).toBeUndefined();
      expect((await scim(tenantUrl, token, 'GET', '/Users')).status).toBe(401);
    });
  });

  describe('Users and Phone Number Conflict Search', () => {
    it('lists active and inactive users, filters by status and text, and shows a user with the work address read-only', async () => {
      // Prepare: three users provisioned through SCIM with the account's token, one of them disabled.
      const { account, tenantUrl, token } = await customerWithKeys('Tailspin Toys');
      const ann = entraUser({ userName: 'ann@tailspin.example', displayName: 'Ann Lee', emails: [{ type: 'work', value: 'ann@tailspin.example' }], phoneNumbers: [{ type: 'mobile', value: '+14155550131' }], addresses: [{ type: 'work', streetAddress: '1 Main St', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US' }] });
      const bob = entraUser({ userName: 'bob@tailspin.example', displayName: 'Bob Ray', active: false, emails: [{ type: 'work', value: 'bob@tailspin.example' }], phoneNumbers: [{ type: 'work', value: '+14155550132' }] });
      const cara = entraUser({ userName: 'cara@tailspin.example', displayName: 'Cara Diaz', emails: [{ type: 'work', value: 'cara@tailspin.example' }], phoneNumbers: [] });
      for (const u of [ann, bob, cara]) expect((await scim(tenantUrl, token, 'POST', '/Users', u)).status).toBe(201);
      const page = await operator();
      await page.goto(`${app.url}/console/#/accounts/${account.id}`);

      // Act
      await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Users' }).click();
      await heading(page).filter({ hasText: 'Users' }).waitFor();
      const rows = page.locator('main tbody tr');
      await page.getByText('3 users.').waitFor();
      // Assess
      expect(await rows.count()).toBe(3);
      await expect(page.getByRole('row', { name: /Bob Ray/ }).textContent()).resolves.toContain('Inactive');
      await shot(page, 'users', true);

      // Act / Assess: status filter through the API.
      await page.getByLabel('Status').selectOption({ label: 'Inactive' });
      await page.getByText('1 inactive user.').waitFor();
      expect(await rows.allTextContents()).toEqual([expect.stringContaining('bob@tailspin.example')]);
      await page.getByLabel('Status').selectOption({ label: 'Active' });
      await page.getByText('2 active users.').waitFor();
      expect((await rows.allTextContents()).join()).not.toContain('bob@');

      // Act / Assess: text filter in the page, on top of the status.
      await page.getByLabel('Status').selectOption({ label: 'All' });
      await page.getByText('3 users.').waitFor();
      await page.getByLabel('Search').fill('555-0131'.replace('-', '')); // digits of Ann's number
      await page.getByText('1 of 3 users match.').waitFor();
      await page.getByLabel('Search').fill('CARA');
      await page.getByText('1 of 3 users match.').waitFor();
      expect(await rows.allTextContents()).toEqual([expect.stringContaining('cara@tailspin.example')]);
      await page.getByLabel('Search').fill('ann');

      // Act: a user's details.
      await page.getByRole('link', { name: 'Ann Lee' }).click();
      await heading(page).filter({ hasText: 'Ann Lee' }).waitFor();
      // Assess
      const main = page.locator('main');
      await expect(main.textContent()).resolves.toMatch(/Login IDann@tailspin\.example.*StatusActive.*Phone numbers\+14155550131 \(mobile\)/);
      const address = page.getByRole('region', { name: 'Work address' });
      await expect(address.textContent()).resolves.toMatch(/Read-only.*Street address1 Main St.*CityRedmond.*State or regionWA.*Postal code98052.*CountryUS/);
      expect(await address.locator('input, textarea, select').count()).toBe(0);
      await shot(page, 'user-details', true);

      // Act: back to the list keeps the filters.
      await page.goBack();
      await page.getByText('1 of 3 users match.').waitFor();
      expect(await page.getByLabel('Search').inputValue()).toBe('ann');
    });

    it('login IDs and emails wrap only after @ . - _ +, never mid-word, at laptop and tablet widths', async () => {
      // Prepare: long login IDs and emails, as Entra sends them for real people.
      const { account, tenantUrl, token } = await customerWithKeys('Northwind Traders International');
      for (const name of ['christopher.montgomery-smith', 'alexandra.konstantinopoulou']) {
        const address = `${name}@northwind-traders-international.example`;
        expect((await scim(tenantUrl, token, 'POST', '/Users', entraUser({ userName: address, displayName: name, emails: [{ type: 'work', value: `${name}.secondary@northwind-traders-international.example` }] }))).status).toBe(201);
      }
      for (const width of [1280, 900, 700]) {
        const page = await openConsole(undefined, width);
        await page.goto(`${app.url}/console/#/accounts/${account.id}/users`);
        await page.getByText('2 users.').waitFor();
        // Assess: every piece between two break points lies on one line (a mid-word break splits it over two).
        const split = await inPage<string[]>(
          page,
          `[...document.querySelectorAll('td.addr')].flatMap((td) => [...td.childNodes].filter((n) => n.nodeType === 3).filter((n) => {
             const r = document.createRange(); r.selectNodeContents(n); return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1;
           }).map((n) => n.textContent))`,
        );
        expect({ width, split }).toEqual({ width, split: [] });
        expect(await page.locator('td.addr', { hasText: 'christopher.montgomery-smith@northwind-traders-international.example' }).count()).toBe(1);
      }
    });

    it('orders users as people count: Temp 2 before Temp 10', async () => {
      // Prepare
      const { account, tenantUrl, token } = await customerWithKeys('Numbered Users');
      for (const n of [10, 1, 2]) {
        const u = entraUser({ userName: `temp${n}@numbered.example`, displayName: `Temp ${n}`, emails: [{ type: 'work', value: `temp${n}@numbered.example` }], phoneNumbers: [] });
        expect((await scim(tenantUrl, token, 'POST', '/Users', u)).status).toBe(201);
      }
      const page = await operator();

      // Act
      await page.goto(`${app.url}/console/#/accounts/${account.id}/users`);
      await page.getByText('3 users.').waitFor();

      // Assess
      const names = (await page.locator('main tbody tr').allTextContents()).map((t) => /Temp \d+/.exec(t)?.[0]);
      expect(names).toEqual(['Temp 1', 'Temp 2', 'Temp 10']);
    });

    it('Phone Number Conflict Search finds the holder of a number (any format) and deletes it after confirmation', async () => {
      // Prepare
      const { account, tenantUrl, token } = await customerWithKeys('Coho Winery');
      const stale = entraUser({ userName: 'stale@coho.example', active: false, emails: [{ type: 'work', value: 'stale@coho.example' }], phoneNumbers: [{ type: 'mobile', value: '+14155550177' }] });
      const created = await scim(tenantUrl, token, 'POST', '/Users', stale);
      expect(created.status).toBe(201);
      const page = await operator();
      await page.goto(`${app.url}/console/#/accounts/${account.id}/users`);

      // Act
      await page.getByRole('link', { name: 'Click here if you have an AD Sync phone number conflict' }).click();
      await heading(page).filter({ hasText: 'Phone Number Conflict Search' }).waitFor();
      // It searches across accounts: its own page, not under Coho Winery's breadcrumb, saying what it covers.
      expect(page.url()).toMatch(/#\/phone-conflict$/);
      expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).textContent()).toBe('AccountsPhone Number Conflict Search');
      expect(await page.locator('main .scope').textContent()).toBe('Searches every account on the platform.');
      await page.getByLabel('Phone number').fill('+1 (415) 555-0177');
      await page.getByRole('button', { name: 'Search' }).click();
      // Assess: the holder, inactive, in this account.
      const hit = page.getByRole('article', { name: 'stale@coho.example' });
      await expect(hit.textContent()).resolves.toMatch(/Inactive.*AccountCoho Winery.*Number\+14155550177 \(mobile\)/);
      expect(await settledText(page.locator('main > .page-body > .status.ok'))).toBe('+14155550177 is held by stale@coho.example.');
      await shot(page, 'phone-conflict-search', true);

      // Act: Delete, cancelled first.
      await hit.getByRole('button', { name: 'Delete' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Delete stale@coho.example?' });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      expect((await scim(tenantUrl, token, 'GET', `/Users/${created.body.id as string}`)).status).toBe(200);
      // …then confirmed.
      await hit.getByRole('button', { name: 'Delete' }).click();
      await confirm.getByRole('button', { name: 'Delete user' }).click();
      // Assess: gone, the number free.
      await hit.getByText('stale@coho.example deleted: +14155550177 is free.').waitFor();
      expect((await scim(tenantUrl, token, 'GET', `/Users/${created.body.id as string}`)).status).toBe(404);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByText('No user holds +14155550177.').waitFor();
      expect(await page.getByRole('article').count()).toBe(0);

      // Act: input the API cannot read as a number: its message shows next to Search.
      await page.getByLabel('Phone number').fill('call me');
      await page.getByRole('button', { name: 'Search' }).click();
      const error = page.locator('main > .page-body > .status.error');
      await error.waitFor();
      expect(await error.textContent()).toContain("'call me' is not a readable phone number");
      expect(await error.getAttribute('aria-live')).toBe('polite');

      // Act: a national number with its country.
      await scim(tenantUrl, token, 'POST', '/Users', entraUser({ userName: 'held@coho.example', emails: [{ type: 'work', value: 'held@coho.example' }], phoneNumbers: [{ type: 'work', value: '+14155550178' }] }));
      await page.getByLabel('Phone number').fill('(415) 555-0178');
      await page.getByLabel('Country').fill('us');
      await page.getByRole('button', { name: 'Search' }).click();
      // Assess
      await page.getByRole('article', { name: 'held@coho.example' }).waitFor();
    });

    it('the conflict link is offered only for accounts with the integration', async () => {
      // Prepare
      const account = await app.admin.createAccount({ name: 'No Integration Ltd', type: 'customer' });
      const page = await operator();
      // Act
      await page.goto(`${app.url}/console/#/accounts/${account.id}/users`);
      await page.getByText('0 users.').waitFor();
      // Assess
      expect(await page.getByRole('link', { name: /phone number conflict/ }).count()).toBe(0);
      await expect(page.locator('main').textContent()).resolves.toContain('No users yet');
    });
  });

  describe('roles', () => {
    it('a partner sees only its own account and its customers, creates customers under itself, and is refused others', async () => {
      // Prepare
      const partner = await app.admin.createAccount({ name: 'Northwind Partners', type: 'partner' });
      await app.admin.createAccount({ name: 'Northwind Customer One', type: 'customer', partnerId: partner.id });
      const stranger = await app.admin.createAccount({ name: 'Someone Else Inc', type: 'customer' });
      const page = await openConsole(app.consoleSession({ role: 'partner', accountId: partner.id, name: 'pat@northwind.example' }));
      // Assess: the list.
      await expect(page.locator('header').textContent()).resolves.toContain('pat@northwind.example · Partner');
      const names = await page.locator('main tbody tr td:first-child').allTextContents();
      expect(names.sort()).toEqual(['Northwind Customer One', 'Northwind Partners']);
      expect(await page.getByRole('button', { name: 'Create account', exact: true }).count()).toBe(0);

      // Act: a customer account, under the partner (no type to choose).
      await page.getByRole('button', { name: 'Create customer account' }).click();
      const create = dialog(page, 'Create customer account');
      expect(await create.getByLabel('Partner').count()).toBe(0);
      await create.getByLabel('Account name').fill('Northwind Customer Two');
      await create.getByRole('button', { name: 'Create' }).click();
      await accountInfo(page);
      // Assess
      await page.locator('main dl.details').getByRole('link', { name: 'Northwind Partners' }).waitFor();
      await expect(page.locator('main dl.details').first().textContent()).resolves.toMatch(/TypeCustomer.*Managing partnerNorthwind Partners/);
      const created = (await app.admin.listAccounts()).find((a) => a.name === 'Northwind Customer Two');
      expect(created).toMatchObject({ type: 'customer', partnerId: partner.id });
      await shot(page, 'partner-account-information');

      // Phone Number Conflict Search says a partner's scope (its old address, under an account, leads there too).
      await page.goto(`${app.url}/console/#/accounts/${partner.id}/phone-conflict`);
      await page.waitForURL(/#\/phone-conflict$/);
      await expect(settledText(page.locator('main .scope'))).resolves.toMatch(/^Searches your partner account and the customer accounts you manage;/);
      await page.goto(`${app.url}/console/#/accounts/${created!.id}`);
      await accountInfo(page);

      // A partner deletes its customers, never its own account.
      expect(await page.getByRole('button', { name: 'Delete account' }).count()).toBe(1);
      await page.goto(`${app.url}/console/#/accounts/${partner.id}`);
      // The customer's page names its partner too: wait for the partner's own details (its name as Account name),
      // or the count below may read the customer's page still on screen.
      await page.locator('main dl.details').filter({ hasText: /Account name\s*Northwind Partners/ }).waitFor();
      expect(await page.getByRole('button', { name: 'Delete account' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Rename' }).count()).toBe(1);

      // Act / Assess: someone else's account.
      await page.goto(`${app.url}/console/#/accounts/${stranger.id}`);
      await heading(page).filter({ hasText: 'This page is not available' }).waitFor();
      await expect(page.getByRole('alert').textContent()).resolves.toBe(`Account ${stranger.id} is not one you manage.`);
    });

    it('an account admin lands on its account, has no accounts list, and cannot open another account', async () => {
      // Prepare
      const { account } = await customerWithKeys('Fourth Coffee');
      const page = await openConsole(app.consoleSession({ role: 'account-admin', accountId: account.id, name: 'ada@fourthcoffee.example' }));
      // Assess: home is its Account Information.
      await accountInfo(page);
      expect(page.url()).toContain(`#/accounts/${account.id}`);
      await expect(page.locator('header').textContent()).resolves.toContain('ada@fourthcoffee.example · Account admin');
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['My account']);
      expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).count()).toBe(0);
      await page.getByRole('article', { name: ENTRA }).waitFor();
      expect(await page.getByRole('button', { name: 'Delete account' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Rename' }).count()).toBe(0);
      await shot(page, 'account-admin');

      // Act / Assess: #/accounts leads home; another account is refused.
      await page.goto(`${app.url}/console/#/accounts`);
      await page.waitForURL(new RegExp(`#/accounts/${account.id}$`));
      await page.goto(`${app.url}/console/#/accounts/demo/users`);
      await heading(page).filter({ hasText: 'This page is not available' }).waitFor();
      await expect(page.getByRole('alert').textContent()).resolves.toBe('Account demo is not one you manage.');
    });
  });

  describe('Cognito sign-in (as deployed): authorization code + PKCE against the hosted UI', () => {
    let hostedUi: FakeHostedUi;
    beforeAll(async () => {
      hostedUi = await startFakeHostedUi();
      setConsoleAssets(await buildConsole(), { auth: 'cognito', domain: hostedUi.url, clientId: 'console-client' });
    });
    afterAll(async () => {
      setConsoleAssets(await buildConsole());
      await hostedUi?.close();
    });

    it('sends people to the hosted UI, redeems the code with its PKCE verifier, and comes back to the page they asked for', async () => {
      // Prepare: the ID token the hosted UI will issue (locally, a console session plays it).
      hostedUi.idToken = app.consoleSession({ role: 'operator', name: 'olivia@operator.example' });
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      pages.push({ page, errors });
      // Act
      await page.goto(`${app.url}/console/#/accounts/demo`);
      await accountInfo(page);
      // Assess: the authorization request…
      const authorize = hostedUi.requests.find((r) => r.path === '/oauth2/authorize')!;
      expect(authorize.params).toMatchObject({
        response_type: 'code',
        client_id: 'console-client',
        redirect_uri: `${app.url}/console/`,
        scope: 'openid email profile',
        code_challenge_method: 'S256',
      });
      // …the token request proved the verifier (the fake hosted UI answers 400 otherwise)…
      expect(hostedUi.requests.filter((r) => r.path === '/oauth2/token').map((r) => r.status)).toEqual([200]);
      // …and the page is back where it was asked for, with no code in the address bar, the token in sessionStorage.
      expect(page.url()).toBe(`${app.url}/console/#/accounts/demo`);
      expect(await inPage(page, "sessionStorage.getItem('scimlink.token')")).toBe(hostedUi.idToken);
      await expect(page.locator('header').textContent()).resolves.toContain('olivia@operator.example · Operator');

      // Act: sign out ends the hosted UI session too.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/oauth2\/authorize|\/console\//);
      // Assess
      expect(hostedUi.requests.find((r) => r.path === '/logout')?.params).toEqual({ client_id: 'console-client', logout_uri: `${app.url}/console/` });
    });

    it('refuses an answer that does not match the request it sent (state), and says why', async () => {
      // Prepare
      const page = await browser.context.newPage();
      pages.push({ page, errors: [] });
      // Act
      await page.goto(`${app.url}/console/?code=stolen&state=not-ours`);
      // Assess
      await page.getByText('Sign-in was interrupted').waitFor();
      expect(page.url()).not.toContain('code=');
      expect(hostedUi.requests.filter((r) => r.path === '/oauth2/token' && r.params.code === 'stolen')).toEqual([]);
    });

    it('shows the hosted UI\'s error', async () => {
      const page = await browser.context.newPage();
      pages.push({ page, errors: [] });
      await page.goto(`${app.url}/console/?error=access_denied&error_description=User+is+disabled`);
      await page.getByText('Sign-in failed: User is disabled.').waitFor();
    });
  });

  describe('keyboard and layout', () => {
    it('dialogs take focus, keep Tab inside, close on Esc and give focus back to the button that opened them', async () => {
      // Prepare
      const { account } = await customerWithKeys('Graphic Design Institute');
      const page = await operator();
      await page.goto(`${app.url}/console/#/accounts/${account.id}`);
      const setup = page.getByRole('button', { name: 'Complete setup' });
      await setup.focus();
      // Act
      await page.keyboard.press('Enter');
      const entra = dialog(page, ENTRA);
      await entra.waitFor();
      // Assess: focus is in the dialog and stays there, forwards and backwards.
      const focusInDialog = () => inPage<boolean>(page, "document.activeElement?.closest('dialog') !== null");
      expect(await focusInDialog()).toBe(true);
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Tab');
        expect(await focusInDialog()).toBe(true);
      }
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Shift+Tab');
        expect(await focusInDialog()).toBe(true);
      }
      // The focused control is visibly outlined.
      const outline = await inPage(page, 'getComputedStyle(document.activeElement).outlineStyle');
      expect(outline).toBe('solid');
      // Act
      await page.keyboard.press('Escape');
      // Assess
      expect(await eventually(() => focusedText(page), (t) => t === 'Complete setup')).toBe('Complete setup');
      expect(await entra.count()).toBe(0);

      // The Integrations panel: arrow keys move between its tabs.
      await page.getByRole('button', { name: '+ Add new' }).focus();
      await page.keyboard.press('Enter');
      const panel = dialog(page, 'Integrations');
      expect(await eventually(() => focusedText(page), (t) => t === 'All')).toBe('All');
      await page.keyboard.press('ArrowRight');
      expect(await focusedText(page)).toBe('3rd party');
      expect(await panel.getByRole('tab', { name: '3rd party' }).getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('Escape');
      expect(await eventually(() => focusedText(page), (t) => t === '+ Add new')).toBe('+ Add new');
      expect(await panel.count()).toBe(0);
    });

    it('the dark header spans the window: to its right edge on a short page, to the scrollbar on a long one', async () => {
      // A header, its right edge, the window's width, the width beside a scrollbar, and whether the page scrolls.
      const measure = (page: Page) =>
        inPage<{ left: number; right: number; inner: number; client: number; scrolls: boolean }>(
          page,
          `(() => { const r = document.querySelector('header.top').getBoundingClientRect(); const d = document.documentElement;
            return { left: r.left, right: r.right, inner: window.innerWidth, client: d.clientWidth, scrolls: d.scrollHeight > d.clientHeight }; })()`,
        );
      // Act: a short page (nothing to scroll).
      const page = await operator();
      await page.goto(`${app.url}/console/#/nowhere`);
      await heading(page).filter({ hasText: 'This page is not available' }).waitFor();
      const short = await measure(page);
      // Assess: edge to edge — no strip kept for a scrollbar that is not there.
      expect(short).toEqual({ left: 0, right: short.inner, inner: 1280, client: 1280, scrolls: false });

      // Act: a page taller than the window.
      await page.setViewportSize({ width: 1280, height: 300 });
      await page.goto(`${app.url}/console/#/accounts`);
      await page.locator('main tbody tr').first().waitFor();
      const long = await measure(page);
      // Assess: up to the scrollbar, which is the browser's, not a gap.
      expect(long.scrolls).toBe(true);
      expect([long.left, long.right]).toEqual([0, long.client]);
    });

    it('renders at phone width without horizontal scrolling', async () => {
      // Prepare
      const { account, tenantUrl, token } = await customerWithKeys('A Datum Corporation With A Rather Long Name');
      await scim(tenantUrl, token, 'POST', '/Users', entraUser({ userName: 'someone.with.a.long.address@adatum-corporation.example', emails: [{ type: 'work', value: 'someone.with.a.long.address@adatum-corporation.example' }] }));
      // Act
      const page = await openConsole(undefined, 375);
      // Assess
      expect(await noHorizontalScroll(page)).toBe(true);
      await shot(page, 'phone-accounts', true);
      for (const [path, name] of [
        [`#/accounts/${account.id}`, 'phone-account-information'],
        [`#/accounts/${account.id}/users`, 'phone-users'],
        [`#/accounts/${account.id}/phone-conflict`, 'phone-conflict-search'],
      ] as const) {
        await page.goto(`${app.url}/console/${path}`);
        await page.locator('main:not([aria-busy]) h1').waitFor();
        await page.waitForLoadState('networkidle');
        expect(await noHorizontalScroll(page)).toBe(true);
        await shot(page, name);
      }
      await page.goto(`${app.url}/console/#/accounts/${account.id}`);
      await page.getByRole('button', { name: 'Complete setup' }).click();
      await dialog(page, ENTRA).getByRole('button', { name: 'Generate keys' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Generate new keys' }).click();
      await dialog(page, ENTRA).getByLabel('Tenant URL').waitFor();
      expect(await noHorizontalScroll(page)).toBe(true);
      await shot(page, 'phone-entra-id-sync-keys');
    });
  });
});
