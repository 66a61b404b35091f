/**
 * The integration's name as the seed's Mitel Administration shows it. Its own module: the account view, the
 * integrations panel and the keys dialog all show it, and the latter two are opened by the first.
 */
export const ENTRA = 'Entra ID Sync (Azure AD sync)';
