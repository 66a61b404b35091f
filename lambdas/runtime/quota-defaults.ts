/**
 * The deployment's default quotas (issue 14, item 5): CDK context `maxUsersPerAccount` and `maxAccountsPerPartner`
 * (lib/config.ts), handed to the functions as environment variables; an operator overrides them per account
 * (`scimlink quotas set`). The same defaults apply locally unless the variables are set.
 */
export const DEFAULT_QUOTAS = { maxUsersPerAccount: 100_000, maxAccountsPerPartner: 100 } as const;

export interface QuotaDefaults {
  maxUsersPerAccount: number;
  maxAccountsPerPartner: number;
}

export function quotaDefaults(env: Record<string, string | undefined> = process.env): QuotaDefaults {
  const read = (name: string, fallback: number) => {
    const n = Number(env[name]);
    return Number.isInteger(n) && n >= 1 ? n : fallback;
  };
  return {
    maxUsersPerAccount: read('MAX_USERS_PER_ACCOUNT', DEFAULT_QUOTAS.maxUsersPerAccount),
    maxAccountsPerPartner: read('MAX_ACCOUNTS_PER_PARTNER', DEFAULT_QUOTAS.maxAccountsPerPartner),
  };
}
