import { mayAccessAccount, requireAccountAccess } from './admin/access';
import { CONFLICT_KINDS, ConflictKind, ConflictSearchView } from './admin/contract';
import { normalizePhoneInput } from './admin/phone-input';
import { adminRoute } from './http/admin-route';
import { badRequest } from './scim/errors';

/** What a partner or account admin is told about a holder outside its scope: that, and nothing about the holder. */
export const HELD_ELSEWHERE = 'Another account holds this value. Only an operator can see that account and free the value.';

/**
 * GET /admin/conflicts?kind=…&value=…[&country=US][&account=ID] — who holds a login ID, email, phone number or
 * extension (issue 14, item 3; SPEC §5): active or not, any account for the platform-wide kinds, the given account
 * for an extension. A partner or account admin sees the holder only in an account it manages; else only that
 * another account holds it.
 */
export const handler = adminRoute(async (req, admin) => {
  const kind = req.query.kind as ConflictKind;
  if (!CONFLICT_KINDS.includes(kind)) throw badRequest(`kind must be one of ${CONFLICT_KINDS.join(', ')}, e.g. ?kind=email&value=ann%40contoso.com`);
  const typed = (req.query.value ?? '').trim();
  if (!typed) throw badRequest('value is required, e.g. ?kind=email&value=ann%40contoso.com');
  let accountId = '';
  if (kind === 'extension') {
    accountId = req.query.account ?? '';
    if (!accountId) throw badRequest('an extension is unique within an account: give the account, e.g. ?kind=extension&value=4711&account=ID');
    await requireAccountAccess(req.principal, accountId, (id) => admin.findAccount(id));
  }
  const value = kind === 'phone' ? normalizePhoneInput(typed, req.query.country) : typed;
  const hit = await admin.findConflict(kind, value, accountId);
  const view: ConflictSearchView = { kind, value, hits: [] };
  if (hit && (await mayAccessAccount(req.principal, hit.accountId, (id) => admin.findAccount(id)))) view.hits.push(hit);
  else if (hit) view.heldElsewhere = HELD_ELSEWHERE;
  return { status: 200, body: view };
});
