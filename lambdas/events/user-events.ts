import { canonicalJson } from '../scim/canonical-json';
import type { UserItem } from '../store/dynamo-user-store';
import { isSyntheticUserName } from '../scim/synthetic';
import { UserData, toScimResource } from '../scim/user';

/**
 * User change events (schema version 1.0) for the platform's downstream apps, derived from committed writes:
 * DynamoDB Streams images when deployed, the local transaction layer's commit hook under `npm start`. Pure.
 *
 * EventBridge envelope: `source: "scimlink"`, `detail-type: "User Changed"`, `detail: UserChangedDetail`.
 * Delivery is at least once; a consumer orders and de-duplicates by (`accountId`, `userId`, `version`).
 */
export const EVENT_SOURCE = 'scimlink';
export const EVENT_DETAIL_TYPE = 'User Changed';
export const EVENT_SCHEMA_VERSION = '1.0';

export type ChangeType = 'created' | 'updated' | 'disabled' | 'enabled' | 'deleted';

export interface UserChangedDetail {
  schemaVersion: typeof EVENT_SCHEMA_VERSION;
  changeType: ChangeType;
  accountId: string;
  userId: string;
  userName: string;
  /** Top-level SCIM attributes that differ from the previous version (all present ones on create/delete). */
  changedAttributes: string[];
  /** The user after the change as a SCIM resource without meta.location; null once deleted. */
  user: Record<string, unknown> | null;
  /** Monotonic per user: 1 on create, +1 per change; a delete carries the last version + 1. */
  version: number;
  /** When the change was committed (ISO 8601). */
  time: string;
}

/** The user item as stored, after unmarshalling (the store defines it). */
type UserImage = Pick<UserItem, 'id' | 'accountId' | 'data' | 'created' | 'lastModified' | 'version'>;

const isUserImage = (image: Record<string, unknown> | undefined): image is Record<string, unknown> & UserImage =>
  image?.kind === 'user' && typeof image.id === 'string' && typeof image.accountId === 'string';

/**
 * One committed change of one item → at most one event. Items that are not users (sentinels, counters,
 * accounts) give none; so does a write that changed nothing the client controls.
 */
export function userChangedDetail(
  oldImage: Record<string, unknown> | undefined,
  newImage: Record<string, unknown> | undefined,
  now: () => Date = () => new Date(),
): UserChangedDetail | undefined {
  const before = isUserImage(oldImage) ? oldImage : undefined;
  const after = isUserImage(newImage) ? newImage : undefined;
  if (!before && !after) return undefined;
  // `scimlink check`'s throw-away users are not people: downstream apps never hear of them.
  if (isSyntheticUserName(before?.data.userName) || isSyntheticUserName(after?.data.userName)) return undefined;
  if (after && !before) {
    return detail('created', after, Object.keys(after.data), resource(after), Number(after.version), after.lastModified);
  }
  if (before && !after) {
    return detail('deleted', before, Object.keys(before.data), null, Number(before.version) + 1, now().toISOString());
  }
  const a = before as UserImage;
  const b = after as UserImage;
  const changed = changedAttributes(a.data, b.data);
  if (changed.length === 0) return undefined;
  let type: ChangeType = 'updated';
  if (a.data.active !== b.data.active) type = b.data.active ? 'enabled' : 'disabled';
  return detail(type, b, changed, resource(b), Number(b.version), b.lastModified);
}

function detail(
  changeType: ChangeType,
  image: UserImage,
  changedAttributes: string[],
  user: Record<string, unknown> | null,
  version: number,
  time: string,
): UserChangedDetail {
  return {
    schemaVersion: EVENT_SCHEMA_VERSION,
    changeType,
    accountId: image.accountId,
    userId: image.id,
    userName: image.data.userName,
    changedAttributes: [...changedAttributes].sort(),
    user,
    version,
    time,
  };
}

/** The SCIM resource as clients see it, minus meta.location (events are not tied to one tenant URL). */
const resource = (image: UserImage) =>
  toScimResource({
    id: image.id,
    accountId: image.accountId,
    data: image.data,
    meta: { resourceType: 'User', created: image.created, lastModified: image.lastModified, version: Number(image.version) },
  });

function changedAttributes(a: UserData, b: UserData): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const rec = (d: UserData) => d as unknown as Record<string, unknown>;
  return [...keys].filter((k) => canonicalJson(rec(a)[k]) !== canonicalJson(rec(b)[k]));
}
