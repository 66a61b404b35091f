import { accounts } from './accounts';
import { conflicts } from './conflicts';
import { domains } from './domains';
import { quotas } from './quotas';
import { integration } from './integration';
import { keys } from './keys';
import { log } from './log';
import { phones } from './phones';
import { profiles } from './profiles';
import type { GroupDef } from './types';
import { users } from './users';

/** Every command group, in the order help lists them (the order of the admin flow). */
export const GROUPS: GroupDef[] = [accounts, integration, keys, users, phones, conflicts, domains, quotas, log, profiles];
