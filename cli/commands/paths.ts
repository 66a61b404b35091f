/** Admin API paths (contract.ts), relative to the admin base URL; ids are encoded as single path segments. */
const seg = encodeURIComponent;

export const paths = {
  accounts: () => '/accounts',
  account: (accountId: string) => `/accounts/${seg(accountId)}`,
  integration: (accountId: string) => `/accounts/${seg(accountId)}/integration`,
  keys: (accountId: string) => `/accounts/${seg(accountId)}/integration/keys`,
  health: (accountId: string) => `/accounts/${seg(accountId)}/integration/health`,
  users: (accountId: string) => `/accounts/${seg(accountId)}/users`,
  user: (accountId: string, userId: string) => `/accounts/${seg(accountId)}/users/${seg(userId)}`,
  phones: () => '/phones',
  conflicts: () => '/conflicts',
  quotas: (accountId: string) => `/accounts/${seg(accountId)}/quotas`,
  domains: (accountId: string) => `/accounts/${seg(accountId)}/domains`,
  domain: (accountId: string, domain: string) => `/accounts/${seg(accountId)}/domains/${seg(domain)}`,
};

/** Quote an argument for a copy-pasteable shell command only when it needs it. */
export function shellArg(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
