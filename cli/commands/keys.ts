/** `scimlink keys generate`: the only command that ever prints a secret token (SPEC §2: shown once). */
import type { GeneratedKeysView, IntegrationView } from '../../lambdas/admin/contract';
import { UsageError } from '../errors';
import { json } from '../format';
import { paths } from './paths';
import type { CommandDef, GroupDef } from './types';

const generate: CommandDef = {
  group: 'keys',
  name: 'generate',
  summary: 'generate the Tenant URL and Secret Token to paste into Entra',
  details:
    'The token is shown once and only its hash is kept. Generating again invalidates the previous Tenant URL and\n' +
    'Secret Token at once (Entra provisioning fails until the new pair is pasted), so it then requires --yes.',
  args: [{ name: 'ACCOUNT', description: 'the customer account id (the integration must be added)' }],
  options: { yes: { type: 'boolean', description: 'confirm: replace existing keys, invalidating them now' } },
  async run(ctx) {
    const accountId = ctx.args.ACCOUNT ?? '';
    const client = ctx.client();
    if (ctx.options.yes !== true) {
      // Look before replacing: a second generation silently breaking a working Entra job is the costly mistake.
      const current = await client.get<IntegrationView>(paths.integration(accountId));
      if (current.keysGeneratedAt) {
        throw new UsageError(
          `keys for account ${accountId} were generated at ${current.keysGeneratedAt}; generating again invalidates the current Tenant URL and Secret Token at once; pass --yes to replace them`,
        );
      }
    }
    const keys = await client.post<GeneratedKeysView>(paths.keys(accountId));
    if (ctx.json) return ctx.out(json(keys));
    ctx.out(`Tenant URL: ${keys.tenantUrl}\nSecret Token: ${keys.secretToken}\n\n`);
    ctx.out(`${keys.warning}\n`);
    ctx.out('The Secret Token is shown only this once. Paste both into Entra: Provisioning → Admin Credentials →\nTest Connection → Save.\n');
  },
};

export const keys: GroupDef = { name: 'keys', summary: 'Tenant URL and Secret Token for Entra', commands: [generate] };
