import { whoami } from './admin/access';
import { adminRoute } from './http/admin-route';

/** GET /admin/me — the caller's role (and account) as the admin API sees it: what the console shows and offers. */
export const handler = adminRoute(async (req) => ({ status: 200, body: whoami(req.principal) }));
