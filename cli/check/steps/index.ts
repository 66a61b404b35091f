/** Every step, in the order Entra exercises an endpoint: connect, (discover), then a user's whole life. */
import type { Step } from '../types';
import { burst } from './burst';
import { probe, tenantUrl } from './connection';
import { resourceTypes, schemas, serviceProviderConfig } from './discovery';
import { create, remove, replace } from './lifecycle';
import { byExternalId, byUserName, byWorkEmail } from './lookups';
import { addMobile, disableNewDialect, disableOldDialect, reenableNewDialect, reenableOldDialect } from './patch';
import { uniqueness, validation } from './rules';

export const STEPS: Step[] = [
  tenantUrl,
  probe,
  serviceProviderConfig,
  schemas,
  resourceTypes,
  create,
  byUserName,
  byExternalId,
  byWorkEmail,
  disableOldDialect,
  reenableNewDialect,
  addMobile,
  disableNewDialect,
  reenableOldDialect,
  replace,
  remove,
  uniqueness,
  validation,
  burst,
];
