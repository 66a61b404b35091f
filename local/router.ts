import { RouteDef } from '../lambdas/routes';

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
}

/**
 * API Gateway-style matching of a request path against resource paths like /scim/{tenant}/Users/{id}.
 * A trailing slash is tolerated (SPEC §3), path segments are URL-decoded like API Gateway does.
 */
export function matchRoute(routes: RouteDef[], method: string, rawPath: string): RouteMatch | 'method-not-allowed' | undefined {
  const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
  const segments = path.split('/').slice(1);
  let pathMatched = false;
  for (const route of routes) {
    const pattern = route.path.split('/').slice(1);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      const seg = segments[i] ?? '';
      if (p.startsWith('{') && p.endsWith('}')) {
        if (seg === '') return false;
        params[p.slice(1, -1)] = safeDecode(seg);
        return true;
      }
      return p === seg;
    });
    if (!ok) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
