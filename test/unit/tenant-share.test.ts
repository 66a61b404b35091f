/** The per-tenant share of one process (issue 13, item 3): in-flight requests per tenant URL, 429 beyond. */
import { TenantShare } from '../../lambdas/http/tenant-share';
import { scimError } from '../support/caught';

describe('TenantShare', () => {
  it('admits up to its limit per tenant URL, then 429 + Retry-After; other tenants are unaffected', () => {
    // Prepare
    const share = new TenantShare(2);
    share.enter('a.k1');
    const release = share.enter('a.k1');
    // Act
    const e = scimError(() => share.enter('a.k1'));
    // Assess
    expect(e.status).toBe(429);
    expect(e.headers['Retry-After']).toBe('1');
    expect(() => share.enter('b.k2')).not.toThrow();
    expect(() => share.enter('a.made-up-key')).not.toThrow(); // a made-up key takes nobody's share
    release();
    expect(() => share.enter('a.k1')).not.toThrow();
  });

  it('releases once, however often the release is called', () => {
    // Prepare
    const share = new TenantShare(1);
    const release = share.enter('a.k1');
    // Act
    release();
    release();
    share.enter('a.k1');
    // Assess
    expect(() => share.enter('a.k1')).toThrow(/1 requests in progress/);
  });
});
