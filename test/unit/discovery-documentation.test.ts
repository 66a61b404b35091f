import { serviceProviderConfig } from '../../lambdas/scim/discovery';

describe('ServiceProviderConfig documentationUri (RFC 7643 §5: optional)', () => {
  it("is the deployer's page when one is configured", () => {
    expect(serviceProviderConfig('https://api.example.com/scim/a.b', 'https://docs.example.com/scim').documentationUri).toBe('https://docs.example.com/scim');
  });

  it('is left out otherwise, rather than pointing at a page that is not theirs', () => {
    const spc = serviceProviderConfig('https://api.example.com/scim/a.b');
    expect(spc).not.toHaveProperty('documentationUri');
    expect(spc.meta.location).toBe('https://api.example.com/scim/a.b/ServiceProviderConfig');
  });
});
