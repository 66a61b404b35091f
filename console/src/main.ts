import { api, apiBaseOf, configureApi, dropPrefetched, prefetch } from './api';
import { ConsoleConfig, forgetToken, signIn, signOut } from './auth';
import { button, h } from './dom';
import { ROLE_LABEL } from './format';
import { Ctx, Me, accountHref } from './page';
import { accountView } from './views/account';
import { accountsView } from './views/accounts';
import { phoneConflictView } from './views/phone-conflict';
import { conflictSearchView } from './views/conflict-search';
import { userView } from './views/user';
import { usersView } from './views/users';

/**
 * The scimlink console: a single page with hash routes, on top of the admin API under /console/api.
 *   #/accounts                          Accounts
 *   #/accounts/{id}                     Account Information (Integrations)
 *   #/accounts/{id}/users[/{userId}]    Users, a user's details
 *   #/phone-conflict                    Phone Number Conflict Search (across the accounts one manages)
 *   #/accounts/{id}/phone-conflict      the same (its former address, from before issue 16)
 *   #/accounts/{id}/conflict-search     Conflict Search (login ID, email, phone, extension)
 */
const main = document.getElementById('main') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const apiBase = apiBaseOf(location.pathname);
/** Set once signed out (or unable to continue): navigation then renders nothing more. */
let stopped = false;

async function boot(): Promise<void> {
  let config: ConsoleConfig;
  try {
    // Served inside index.html (one round trip less); config.json is the same, for anything else that asks.
    const inline = document.querySelector<HTMLMetaElement>('meta[name="scimlink-config"]')?.content;
    config = inline ? (JSON.parse(inline) as ConsoleConfig) : ((await (await fetch(`${apiBase}/console/config.json`, { cache: 'no-cache' })).json()) as ConsoleConfig);
  } catch {
    return stop('The console could not load its configuration. Reload the page to try again.');
  }
  const session = await signIn(config, apiBase);
  if ('redirecting' in session) return;
  if ('signedOut' in session) return stop(session.signedOut);
  const token = session.token;
  configureApi({
    apiBase,
    token: () => token,
    unauthorized: () => {
      forgetToken();
      // Deployed, the ID token expired: the hosted UI signs the person in again and brings them back here.
      if (config.auth === 'cognito') void signIn(config, apiBase);
      else stop('Your session is no longer valid (the local server may have restarted). Open the Console URL that npm start printed.');
    },
  });
  // The accounts list (the usual first page) is fetched beside /me rather than after it.
  if (/^(#\/?|#\/accounts\/?)?$/.test(location.hash)) prefetch('/accounts');
  let me: Me;
  try {
    me = await api<Me>('GET', '/me');
  } catch (e) {
    // A 401 has already said what to do (unauthorized above); anything else is said here.
    if (!stopped) stop((e as Error).message);
    return;
  }
  who.replaceChildren(
    h('span', { class: 'identity' }, 'Signed in as ', h('strong', null, me.name), ` · ${ROLE_LABEL[me.role] ?? me.role}`),
    button('Sign out', () => stop(signOut(config, apiBase)), { class: 'link-button' }),
  );
  nav.replaceChildren(
    me.role === 'account-admin' && me.accountId ? h('a', { href: accountHref(me.accountId) }, 'My account') : h('a', { href: '#/accounts' }, 'Accounts'),
  );
  let current = 0;
  let first = true;
  const route = async () => {
    const id = ++current;
    if (stopped) return;
    const ctx: Ctx = { me, main, alive: () => id === current && !stopped };
    const [section, accountId, sub, userId] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
    if (!section || (section === 'accounts' && !accountId && me.role === 'account-admin')) {
      // An account admin has one account: that is the home page.
      location.replace(me.role === 'account-admin' && me.accountId ? accountHref(me.accountId) : '#/accounts');
      return;
    }
    main.setAttribute('aria-busy', 'true');
    try {
      if (section === 'phone-conflict' && !accountId) await phoneConflictView(ctx);
      else if (section !== 'accounts') throw new Error('There is no such page in the console.');
      else if (!accountId) await accountsView(ctx);
      else if (!sub) await accountView(ctx, accountId);
      else if (sub === 'users' && userId) await userView(ctx, accountId, userId);
      else if (sub === 'users') await usersView(ctx, accountId);
      else if (sub === 'phone-conflict') return location.replace('#/phone-conflict');
      else if (sub === 'conflict-search') await conflictSearchView(ctx, accountId);
      else throw new Error('There is no such page in the console.');
    } catch (e) {
      if (!ctx.alive()) return;
      document.title = 'Not available · scimlink console';
      main.replaceChildren(
        h('h1', { tabindex: '-1' }, 'This page is not available'),
        h('p', { class: 'status error', role: 'alert' }, (e as Error).message),
        h('p', null, h('a', { href: '#/' }, 'Back to the start')),
      );
    } finally {
      dropPrefetched();
      if (id === current) main.removeAttribute('aria-busy');
    }
    // After a navigation (not the first page), the new heading takes focus so screen readers announce it.
    if (ctx.alive() && !first) main.querySelector<HTMLElement>('h1')?.focus();
    first = false;
  };
  window.addEventListener('hashchange', () => void route());
  await route();
}

/** Signed out, or cannot continue: say why, in the page. */
function stop(message: string): void {
  stopped = true;
  who.replaceChildren();
  nav.replaceChildren();
  main.removeAttribute('aria-busy');
  document.title = 'scimlink console';
  main.replaceChildren(h('h1', { tabindex: '-1' }, 'scimlink console'), h('p', { class: 'status', role: 'status' }, message));
}

void boot();
