/** `scimlink integration add|show|remove`: the Entra ID Sync integration of a customer account (SPEC §2). */
import type { IntegrationView } from '../../lambdas/admin/contract';
import { UsageError } from '../errors';
import { json, keyValues } from '../format';
import type { ProvisioningHealth } from '../../lambdas/log/provisioning-health';
import { healthBlock } from './provisioning-health';
import { paths, shellArg } from './paths';
import type { CommandDef, GroupDef } from './types';

const ACCOUNT = { name: 'ACCOUNT', description: 'the customer account id' };

export function integrationBlock(i: IntegrationView): string {
  const next = `scimlink keys generate ${shellArg(i.accountId)}`;
  return keyValues([
    ['Account', i.accountId],
    ['Integration', i.integration],
    ['Added', i.addedAt],
    ['Keys generated', i.keysGeneratedAt ?? `never (setup not complete; run: ${next})`],
    ['Tenant URL', i.tenantUrl],
    ['Last SCIM request', i.lastRequestAt ?? 'never'],
    ['Users provisioned', String(i.usersProvisioned)],
  ]);
}

const add: CommandDef = {
  group: 'integration',
  name: 'add',
  summary: 'add Entra ID Sync to a customer account',
  details: 'Partner accounts cannot hold the integration. Adding it does not create keys: run `scimlink keys generate`.',
  args: [ACCOUNT],
  async run(ctx) {
    const accountId = ctx.args.ACCOUNT ?? '';
    const integration = await ctx.client().put<IntegrationView>(paths.integration(accountId));
    if (ctx.json) return ctx.out(json(integration));
    ctx.out(`Entra ID Sync is added to account ${integration.accountId}.\n`);
    ctx.out(integrationBlock(integration));
    if (!integration.keysGeneratedAt) ctx.out(`Next: scimlink keys generate ${shellArg(integration.accountId)}\n`);
  },
};

const show: CommandDef = {
  group: 'integration',
  name: 'show',
  summary: 'show the integration: added, keys generated when, last SCIM request, users, provisioning health',
  args: [ACCOUNT],
  async run(ctx) {
    const accountId = ctx.args.ACCOUNT ?? '';
    const [integration, health] = await Promise.all([
      ctx.client().get<IntegrationView>(paths.integration(accountId)),
      ctx.client().get<ProvisioningHealth>(paths.health(accountId)),
    ]);
    if (ctx.json) return ctx.out(json({ ...integration, health }));
    ctx.out(integrationBlock(integration));
    ctx.out(healthBlock(health));
  },
};

const remove: CommandDef = {
  group: 'integration',
  name: 'remove',
  summary: "remove the integration, revoking Entra's access at once",
  details:
    'The Tenant URL and Secret Token stop working on the very next request; provisioned users are kept.\n' +
    'Requires --yes.',
  args: [ACCOUNT],
  options: { yes: { type: 'boolean', description: "confirm: revoke Entra's access now" } },
  async run(ctx) {
    const accountId = ctx.args.ACCOUNT ?? '';
    if (ctx.options.yes !== true) {
      throw new UsageError(
        `removing the integration revokes Entra's access to account ${accountId} at once (its Tenant URL and Secret Token stop working); pass --yes to remove it`,
      );
    }
    await ctx.client().delete(paths.integration(accountId));
    if (ctx.json) return ctx.out(json({ accountId, removed: true }));
    ctx.out(`Removed Entra ID Sync from account ${accountId}: its Tenant URL and Secret Token no longer work. Provisioned users are kept.\n`);
  },
};

export const integration: GroupDef = {
  name: 'integration',
  summary: 'the Entra ID Sync integration of a customer account',
  commands: [add, show, remove],
};
